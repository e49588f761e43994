using TTMall.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

// Postgres (productsdb, usersdb, ordersdb, paymentsdb), Redis and RabbitMQ: containers when an engine
// answers, otherwise this machine's own servers (TTMall:Infrastructure = Auto | Containers | Local).
var mall = builder.AddMallInfrastructure();

// Two Eureka peers at http://localhost:8761 and :8762; every service registers with them and finds the
// others through them.
var discovery = builder.AddMallDiscovery<Projects.TTMall_Discovery>(mall.Settings);

// Every service runs as TTMall:Replicas replicas (default 2).
builder.AddMallService<Projects.TTMall_Products>("products", discovery)
    .WithStore(mall.Database(MallInfrastructure.ProductsDb));

builder.Build().Run();
