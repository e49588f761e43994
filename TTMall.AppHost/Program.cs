using TTMall.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

// Postgres (productsdb, usersdb, ordersdb, paymentsdb), Redis and RabbitMQ: containers when an engine
// answers, otherwise this machine's own servers (TTMall:Infrastructure = Auto | Containers | Local).
var mall = builder.AddMallInfrastructure();

// Two Eureka peers at http://localhost:8761 and :8762, through which every service registers and finds the
// others, and the keys access tokens are signed and checked with.
var platform = builder.AddMallPlatform<Projects.TTMall_Discovery>(mall.Settings);

// Every service runs as TTMall:Replicas replicas (default 2); events between them go through RabbitMQ.
builder.AddMallService<Projects.TTMall_Products>("products", platform)
    .WithStore(mall.Database(MallInfrastructure.ProductsDb))
    .WithStore(mall.RabbitMq);

// demo@ttmall.local (a shopper) and staff@ttmall.local (who may change prices) sign in with the generated passwords
// shown under Parameters in the dashboard.
var demoPassword = builder.AddParameter("users-demo-password",
    new GenerateParameterDefault { MinLength = 16, Special = false, MinLower = 1, MinNumeric = 1 }, secret: true, persist: true);
var staffPassword = builder.AddParameter("users-staff-password",
    new GenerateParameterDefault { MinLength = 20, Special = false, MinLower = 1, MinNumeric = 1 }, secret: true, persist: true);
builder.AddMallService<Projects.TTMall_Users>("users", platform)
    .WithStore(mall.Database(MallInfrastructure.UsersDb))
    .WithAccessTokenSigning(platform)
    .WithEnvironment("Users__DemoPassword", demoPassword)
    .WithEnvironment("Users__StaffPassword", staffPassword);

builder.AddMallService<Projects.TTMall_Carts>("carts", platform)
    .WithStore(mall.Redis)
    .WithStore(mall.RabbitMq);

builder.AddMallService<Projects.TTMall_Orders>("orders", platform)
    .WithStore(mall.Database(MallInfrastructure.OrdersDb))
    .WithStore(mall.RabbitMq);

// Payments charge cards at a simulated card network's sandbox (test cards in docs/CHECKOUT.md), outside the mall.
var paymentProvider = builder.AddPaymentProvider<Projects.TTMall_PaymentProvider>(mall);
builder.AddMallService<Projects.TTMall_Payments>("payments", platform)
    .WithStore(mall.Database(MallInfrastructure.PaymentsDb))
    .WithStore(mall.RabbitMq)
    .WithPaymentProvider(paymentProvider);

// The front door at http://localhost:8080: /api/<service>/... to that service's replicas, / to the shop.
builder.AddMallGateway<Projects.TTMall_Gateway>(platform);

builder.Build().Run();
