using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using TTMall.Discovery.Tests.Support;

namespace TTMall.Discovery.Tests;

/// <summary>Reads answer JSON by default and gzip when the client asks for it.</summary>
public sealed class CompressionTests(DiscoveryServerFixture server) : IClassFixture<DiscoveryServerFixture>
{
    [Theory]
    [InlineData("apps")]
    [InlineData("apps/delta")]
    public async Task Asked_for_gzip_the_registry_comes_gzipped_and_decompresses_to_the_plain_answer(string path)
    {
        using var eureka = server.Client();
        var (up, down) = (Unique.Id(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(Unique.App(), up));
        await eureka.RegisterOkAsync(InstanceJson.Create(Unique.App(), down, status: "DOWN"));

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var gzipped = await eureka.Http.SendAsync(request);
        var plain = await eureka.Http.GetByteArrayAsync(path);

        Assert.Equal(System.Net.HttpStatusCode.OK, gzipped.StatusCode);
        Assert.Equal(["gzip"], gzipped.Content.Headers.ContentEncoding);
        Assert.Equal("application/json", gzipped.Content.Headers.ContentType?.MediaType);
        var compressed = await gzipped.Content.ReadAsByteArrayAsync();
        Assert.Equal([0x1f, 0x8b], compressed[..2]);
        using var unzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var decompressed = new MemoryStream();
        await unzip.CopyToAsync(decompressed);
        Assert.Equal(plain, decompressed.ToArray());
        var applications = JsonNode.Parse(decompressed.ToArray())!["applications"]!.AsObject();
        Assert.Equal("DOWN", (string?)Envelope.Instance(applications, down)["status"]);
        Assert.Equal("UP", (string?)Envelope.Instance(applications, up)["status"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    [InlineData("*/*")]
    [InlineData("application/json, application/xml")]
    public async Task Without_gzip_asked_the_answer_is_plain_json(string? accept)
    {
        using var eureka = server.Client();
        var (app, id) = (Unique.App(), Unique.Id());
        await eureka.RegisterOkAsync(InstanceJson.Create(app, id));

        foreach (var path in new[] { "apps", "apps/delta", $"apps/{app}", $"apps/{app}/{id}", $"instances/{id}", $"vips/{app}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (accept is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }

            using var response = await eureka.Http.SendAsync(request);

            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Empty(response.Content.Headers.ContentEncoding);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        }
    }
}
