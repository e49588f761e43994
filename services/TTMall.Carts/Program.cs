using TTMall.Carts;
using TTMall.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMallAuthentication();
builder.AddCartsService();

var app = builder.Build();
app.UseServiceDefaults();
app.MapCartsApi();
app.Run();
