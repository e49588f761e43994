using TTMall.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMallAuthentication();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
