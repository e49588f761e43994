using System.Net;
using System.Text;

namespace TTMall.Discovery.Tests;

public class SmokeTests
{
    [Fact]
    public async Task A_registered_instance_is_listed_and_an_unknown_one_is_404_without_a_body()
    {
        await using var peer = await DiscoveryPeer.StartAsync();
        using var http = new HttpClient { BaseAddress = peer.EurekaUri, DefaultRequestHeaders = { Authorization = TestDiscovery.App("SMOKE") } };

        using var register = await http.PostAsync("apps/SMOKE", new StringContent(
            """{"instance":{"instanceId":"smoke-1","hostName":"localhost","app":"SMOKE","ipAddr":"127.0.0.1","port":{"$":5000,"@enabled":"true"},"dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$MyDataCenterInfo","name":"MyOwn"}}}""",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, register.StatusCode);

        var apps = await http.GetStringAsync("apps");
        Assert.Contains("\"instanceId\":\"smoke-1\"", apps);
        Assert.Contains("\"apps__hashcode\":\"UP_1_\"", apps);

        using var unknown = await http.PutAsync("apps/SMOKE/nobody", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Empty(await unknown.Content.ReadAsByteArrayAsync());
    }
}
