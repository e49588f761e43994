using Microsoft.Extensions.Configuration;

namespace TTMall.Hosting.Tests;

public class MallSettingsTests
{
    private static MallSettings Read(params (string Key, string Value)[] values) =>
        MallSettings.Read(
            new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build(),
            "/repo/TTMall.AppHost");

    [Fact]
    public void Defaults_keep_data_in_the_checkout_run_two_replicas_and_pick_ports()
    {
        var settings = Read();

        Assert.Null(settings.Infrastructure);
        Assert.Equal("/repo/.data", settings.DataRoot);
        Assert.Equal(2, settings.Replicas);
        Assert.Equal(new LocalPorts(0, 0, 0, 0, 0), settings.Ports);
    }

    [Fact]
    public void Settings_are_read_from_the_TTMall_section()
    {
        var settings = Read(
            ("TTMall:Infrastructure", "Local"),
            ("TTMall:DataRoot", "other-data"),
            ("TTMall:Replicas", "3"),
            ("TTMall:Ports:Postgres", "15432"),
            ("TTMall:Ports:Epmd", "14369"));

        Assert.Equal("Local", settings.Infrastructure);
        Assert.Equal("/repo/other-data", settings.DataRoot);
        Assert.Equal(3, settings.Replicas);
        Assert.Equal(15432, settings.Ports.Postgres);
        Assert.Equal(14369, settings.Ports.Epmd);
    }

    [Theory]
    [InlineData("TTMall:Replicas", "0")]
    [InlineData("TTMall:Replicas", "two")]
    [InlineData("TTMall:Ports:Redis", "70000")]
    [InlineData("TTMall:Ports:Redis", "-1")]
    public void Bad_numbers_are_refused_naming_the_key_and_the_range(string key, string value)
    {
        var error = Assert.Throws<MallSetupException>(() => Read((key, value)));
        Assert.Contains(key, error.Message);
        Assert.Contains($"'{value}'", error.Message);
    }
}
