using TTMall.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

// Postgres (productsdb, usersdb, ordersdb, paymentsdb), Redis and RabbitMQ: containers when an engine
// answers, otherwise this machine's own servers (TTMall:Infrastructure = Auto | Containers | Local).
var mall = builder.AddMallInfrastructure();

// Two Eureka peers at http://localhost:8761 and :8762, through which every service registers and finds the
// others, and the key access tokens are signed with.
var platform = builder.AddMallPlatform<Projects.TTMall_Discovery>(mall.Settings);

// Every service runs as TTMall:Replicas replicas (default 2).
builder.AddMallService<Projects.TTMall_Products>("products", platform)
    .WithStore(mall.Database(MallInfrastructure.ProductsDb));

builder.AddMallService<Projects.TTMall_Users>("users", platform)
    .WithStore(mall.Database(MallInfrastructure.UsersDb));

builder.AddMallService<Projects.TTMall_Carts>("carts", platform)
    .WithStore(mall.Redis);

builder.Build().Run();
