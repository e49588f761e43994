using TTMall.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

// Postgres (productsdb, usersdb, ordersdb, paymentsdb), Redis and RabbitMQ: containers when an engine
// answers, otherwise this machine's own servers (TTMall:Infrastructure = Auto | Containers | Local).
var mall = builder.AddMallInfrastructure();

// Every service runs as TTMall:Replicas replicas (default 2).
builder.AddMallService<Projects.TTMall_Products>("products", mall)
    .WithStore(mall.Database(MallInfrastructure.ProductsDb));

builder.Build().Run();
