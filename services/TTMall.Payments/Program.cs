using TTMall.Payments;
using TTMall.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMallAuthentication();
builder.AddPaymentsService();

var app = builder.Build();
app.UseServiceDefaults();
app.MapPaymentsApi();
app.Run();
