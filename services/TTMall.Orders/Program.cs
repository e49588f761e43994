using TTMall.Orders;
using TTMall.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMallAuthentication();
builder.AddOrdersService();

var app = builder.Build();
app.UseServiceDefaults();
app.MapOrdersService();
app.Run();
