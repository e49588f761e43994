using TTMall.Discovery;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDiscoveryServer();

var app = builder.Build();
app.UseLoopbackHostOnly();
app.UseServiceDefaults();
app.MapEurekaApi();
app.MapStatusPage();
app.Run();
