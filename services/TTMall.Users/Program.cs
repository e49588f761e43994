using TTMall.ServiceDefaults.Security;
using TTMall.Users;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAccessTokenSigning();
builder.AddUsersService();

var app = builder.Build();
app.UseServiceDefaults();
app.MapUsersApi();
app.Run();
