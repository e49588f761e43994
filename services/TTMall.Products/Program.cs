using TTMall.Products;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddProductsService();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapProductsApi();
app.Run();
