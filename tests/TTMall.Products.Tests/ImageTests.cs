using System.Net;
using System.Net.Http.Headers;
using System.Xml.Linq;

namespace TTMall.Products.Tests;

[Collection(ProductsCollection.Name)]
public class ImageTests(ProductsFixture products)
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public async Task The_main_picture_is_an_SVG_of_the_product_with_caching_headers()
    {
        using var http = products.Client();
        var product = await http.ProductAsync(await http.IdOfAsync("Cherry MX 机械键盘"));

        using var response = await http.GetAsync(product.ImageUrl);
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Svg + "svg", svg.Root!.Name);
        Assert.Equal("Cherry MX 机械键盘", svg.Root.Element(Svg + "title")?.Value);
        Assert.True(response.Headers.CacheControl is { Public: true, MaxAge: { } maxAge } && maxAge >= TimeSpan.FromHours(1), $"{response.Headers.CacheControl}");
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task An_unchanged_picture_is_304_when_the_client_has_it()
    {
        using var http = products.Client();
        var product = await http.ProductAsync(await http.IdOfAsync("TT 无线鼠标"));
        using var first = await http.GetAsync(product.ImageUrl);

        using var request = new HttpRequestMessage(HttpMethod.Get, product.ImageUrl);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var again = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Pictures_are_the_same_every_time_and_differ_between_products_and_views()
    {
        using var http = products.Client();
        var keyboard = await http.ProductAsync(await http.IdOfAsync("Cherry MX 机械键盘"));
        var otherKeyboard = await http.ProductAsync(await http.IdOfAsync("Cherry KC 1000 办公薄膜键盘"));
        var mouse = await http.ProductAsync(await http.IdOfAsync("TT 无线鼠标"));

        var pictures = new[] { keyboard.Images[0], keyboard.Images[0], otherKeyboard.Images[0], mouse.Images[0], keyboard.Images[1], keyboard.Images[2] }
            .Select(url => http.GetStringAsync(url))
            .ToArray();
        var svgs = await Task.WhenAll(pictures);

        Assert.Equal(svgs[0], svgs[1]);
        Assert.Equal(5, svgs.Distinct().Count());
        // Same category, different name: different colours, same symbol.
        Assert.NotEqual(Colours(svgs[0]), Colours(svgs[2]));
        Assert.NotEqual(Colours(svgs[0]), Colours(svgs[3]));
    }

    [Fact]
    public async Task Every_product_has_well_formed_pictures()
    {
        using var http = products.Client();

        foreach (var summary in await http.AllAsync())
        {
            var product = await http.ProductAsync(summary.Id);
            foreach (var url in product.Images)
            {
                var svg = XDocument.Parse(await http.GetStringAsync(url));
                Assert.Equal(Svg + "svg", svg.Root!.Name);
                Assert.Equal(product.Name, svg.Root.Attribute("aria-label")?.Value);
            }
        }
    }

    [Theory]
    [InlineData("/api/products/999999/image.svg")]
    [InlineData("/api/products/1/images/0.svg")]
    [InlineData("/api/products/1/images/4.svg")]
    public async Task Pictures_of_unknown_products_or_views_are_404(string path)
    {
        using var http = products.Client();

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(path)).StatusCode);
    }

    private static string Colours(string svg) =>
        string.Join(",", XDocument.Parse(svg).Descendants(Svg + "stop").Select(stop => stop.Attribute("stop-color")?.Value));
}
