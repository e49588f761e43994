using TTMall.Products;
using TTMall.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMallAuthentication();
builder.AddProductsService();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapProductsService();
app.Run();
