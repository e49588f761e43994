using TTMall.PaymentProvider;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPaymentProvider();

var app = builder.Build();
app.UseServiceDefaults();
app.MapPaymentProvider();
app.Run();
