using TTMall.Gateway;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMallGateway();

var app = builder.Build();
app.UseServiceDefaults();
app.MapMallGateway();
app.Run();
