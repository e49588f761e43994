using TTMall.ServiceDefaults.Security;
using TTMall.Users;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMallAuthentication();
builder.AddUsersService();

var app = builder.Build();
app.UseForwardedHeaders();
app.MapDefaultEndpoints();
app.MapUsersApi();
app.Run();
