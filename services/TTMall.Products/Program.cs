using TTMall.Products;
using TTMall.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMallAuthentication();
builder.AddProductsService();

var app = builder.Build();
app.UseServiceDefaults();
app.MapProductsService();
app.Run();
