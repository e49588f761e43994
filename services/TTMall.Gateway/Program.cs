using TTMall.Gateway;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMallGateway();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapMallGateway();
app.Run();
