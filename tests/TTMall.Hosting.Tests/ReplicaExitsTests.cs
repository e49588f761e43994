using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace TTMall.Hosting.Tests;

/// <summary>
/// Which replica exits the AppHost reports, and how. The snapshot sequences are the ones Aspire 13.6 publishes
/// (seen with the mall in local mode): a killed replica goes from Running straight to Finished with the exit
/// code; the dashboard's Stop and Restart go through Stopping first.
/// </summary>
public class ReplicaExitsTests
{
    private static readonly Uri Dashboard = new("http://localhost:18888");
    private readonly ProjectResource _products = new("products");

    private static ResourceEvent Update(IResource resource, string id, string? state, int? exitCode = null) =>
        new(resource, id, new CustomResourceSnapshot
        {
            ResourceType = "Project",
            Properties = [],
            State = state is null ? null : new ResourceStateSnapshot(state, null),
            ExitCode = exitCode,
        });

    private static List<ReplicaExit> Feed(ReplicaExits exits, params ResourceEvent[] updates) =>
        [.. updates.Select(exits.Observe).OfType<ReplicaExit>()];

    [Fact]
    public void A_killed_replica_is_reported_once_with_its_exit_code_and_console_log()
    {
        var exits = new ReplicaExits();

        var reported = Feed(exits,
            Update(_products, "products-abcd1234", null),
            Update(_products, "products-abcd1234", "Starting"),
            Update(_products, "products-abcd1234", "Running"),
            Update(_products, "products-efgh5678", "Running"),
            Update(_products, "products-abcd1234", "Finished", 137),
            // Later snapshots of the ended replica (health, properties) repeat its state.
            Update(_products, "products-abcd1234", "Finished", 137),
            Update(_products, "products-efgh5678", "Running"));

        var exit = Assert.Single(reported);
        Assert.Equal(new ReplicaExit("products", "products-abcd1234", "Finished", 137), exit);
        Assert.Equal(
            "products replica products-abcd1234 exited with code 137; console log: http://localhost:18888/consolelogs/resource/products-abcd1234",
            exit.Describe(Dashboard));
    }

    [Fact]
    public void A_replica_that_ends_while_the_mall_starts_is_reported_as_well()
    {
        var exits = new ReplicaExits();

        var reported = Feed(exits,
            Update(_products, "products-abcd1234", "Waiting"),
            Update(_products, "products-abcd1234", "Running"),
            Update(_products, "products-abcd1234", "Exited", 1));

        Assert.Equal("products replica products-abcd1234 exited with code 1; console log: http://localhost:18888/consolelogs/resource/products-abcd1234",
            Assert.Single(reported).Describe(Dashboard));
    }

    [Fact]
    public void A_stop_asked_for_is_not_a_crash_but_a_crash_after_the_next_start_is()
    {
        var exits = new ReplicaExits();

        Assert.Empty(Feed(exits,
            Update(_products, "products-abcd1234", "Running"),
            Update(_products, "products-abcd1234", "Stopping"),
            Update(_products, "products-abcd1234", "Finished", 0)));

        // Started again from the dashboard, then killed.
        var reported = Feed(exits,
            Update(_products, "products-abcd1234", "Starting"),
            Update(_products, "products-abcd1234", "Waiting"),
            Update(_products, "products-abcd1234", "Running"),
            Update(_products, "products-abcd1234", "Finished", 137));

        Assert.Equal(137, Assert.Single(reported).ExitCode);
    }

    [Fact]
    public void A_stop_the_orchestrator_gives_up_on_is_still_a_stop_asked_for()
    {
        // A replica that takes longer to exit than the orchestrator waits shows Unknown before it ends.
        var exits = new ReplicaExits();

        Assert.Empty(Feed(exits,
            Update(_products, "products-abcd1234", "Running"),
            Update(_products, "products-abcd1234", "Stopping"),
            Update(_products, "products-abcd1234", "Unknown"),
            Update(_products, "products-abcd1234", "Finished", 137)));
    }

    [Fact]
    public void A_replica_that_ends_again_after_a_restart_is_reported_again()
    {
        var exits = new ReplicaExits();

        var reported = Feed(exits,
            Update(_products, "products-abcd1234", "Running"),
            Update(_products, "products-abcd1234", "Finished", 137),
            Update(_products, "products-abcd1234", "Starting"),
            Update(_products, "products-abcd1234", "Running"),
            Update(_products, "products-abcd1234", "Finished", 134));

        Assert.Equal([137, 134], reported.Select(e => e.ExitCode));
    }

    [Fact]
    public void A_replica_that_fails_to_start_or_ends_without_an_exit_code_says_so()
    {
        var exits = new ReplicaExits();
        var redis = new ExecutableResource("redis", "/usr/bin/redis-server", "/");

        var reported = Feed(exits,
            Update(_products, "products-abcd1234", "Starting"),
            Update(_products, "products-abcd1234", "FailedToStart"),
            Update(redis, "redis", "Running"),
            Update(redis, "redis", "Finished"));

        Assert.Equal(
            [
                "products replica products-abcd1234 failed to start; console log: http://localhost:18888/consolelogs/resource/products-abcd1234",
                "redis exited (exit code unknown); console log: http://localhost:18888/consolelogs/resource/redis",
            ],
            reported.Select(e => e.Describe(Dashboard)));
    }

    [Fact]
    public void Resources_without_a_process_of_their_own_are_not_reported()
    {
        // A database takes the state of its server, whose own exit is reported.
        var exits = new ReplicaExits();
        var database = new ConnectionStringResource("productsdb", ReferenceExpression.Create($"Database=productsdb"));

        Assert.Empty(Feed(exits, Update(database, "productsdb", "Running"), Update(database, "productsdb", "Finished", 1)));
    }

    [Fact]
    public void Without_a_dashboard_the_line_says_there_is_no_console_log_page()
    {
        Assert.Equal("products replica products-abcd1234 exited with code 137; no dashboard in this run to show its console log",
            new ReplicaExit("products", "products-abcd1234", "Finished", 137).Describe(dashboard: null));
    }

    [Theory]
    [InlineData("http://localhost:18888", "http://localhost:18888/")]
    [InlineData("https://localhost:17001;http://localhost:15001", "https://localhost:17001/")]
    [InlineData("http://localhost:18888/some/path", "http://localhost:18888/")]
    [InlineData(null, null)]
    [InlineData("", null)]
    public void The_dashboard_address_is_the_first_of_the_AppHosts_urls(string? urls, string? expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = urls }).Build();

        Assert.Equal(expected, DashboardLinks.Dashboard(configuration, new DistributedApplicationOptions())?.ToString());
    }

    [Fact]
    public void A_run_without_a_dashboard_has_no_dashboard_address()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = "http://localhost:18888" }).Build();

        Assert.Null(DashboardLinks.Dashboard(configuration, new DistributedApplicationOptions { DisableDashboard = true }));
    }

    [Fact]
    public void Console_log_links_escape_the_resource_id()
    {
        Assert.Equal("http://localhost:18888/consolelogs/resource/a%20b%2Fc", DashboardLinks.ConsoleLogs(Dashboard, "a b/c").AbsoluteUri);
    }

    [Fact]
    public void Readiness_keeps_listing_a_resource_whose_replica_ended()
    {
        var model = new DistributedApplicationModel([_products]);
        _products.Annotations.Add(new ReplicaAnnotation(2));
        var readiness = new MallReadiness(model);

        readiness.Observe(Update(_products, "products-abcd1234", "Running"));
        var waiting = readiness.Observe(Update(_products, "products-efgh5678", "Finished", 137));

        Assert.Equal(["products (1/2 healthy; Running/Finished)"], waiting);
        Assert.Empty(readiness.Observe(Update(_products, "products-efgh5678", "Running")));
    }
}
