using TTMall.Discovery;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDiscoveryServer();

var app = builder.Build();
app.UseRateLimiter();
app.MapDefaultEndpoints();
app.MapEurekaApi();
app.MapStatusPage();
app.Run();
