using System.Net;
using System.Net.Http.Json;

namespace TTMall.Users.Tests;

[Collection(UsersCollection.Name)]
public sealed class AddressTests(UsersServiceFixture users)
{
    private const string Addresses = "/api/users/me/addresses";

    [Fact]
    public async Task Addresses_can_be_added_read_changed_and_deleted()
    {
        using var shopper = await users.Service.NewShopperAsync();
        Assert.Empty(await shopper.Http.AddressesAsync());

        var created = await shopper.Http.PostAsJsonAsync(Addresses, UsersHttp.Address("张三") with { PostalCode = null });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var home = (await created.Content.ReadFromJsonAsync<AddressDto>())!;
        Assert.Equal($"{Addresses}/{home.Id}", created.Headers.Location?.OriginalString);
        Assert.Equal(new AddressDto(home.Id, "张三", "13800138000", "浙江省", "杭州市", "余杭区", "文一西路 969 号 3 号楼", null, true), home);
        Assert.Equal(home, await shopper.Http.GetFromJsonAsync<AddressDto>(created.Headers.Location));

        var office = await shopper.Http.AddAddressAsync(UsersHttp.Address("李四"));
        var changed = new AddressInput(" 李四 ", "021-87654321", "上海市", "上海市", "浦东新区", "世纪大道 100 号", "200120");
        var update = await shopper.Http.PutAsJsonAsync($"{Addresses}/{office.Id}", changed);
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        var expected = new AddressDto(office.Id, "李四", "021-87654321", "上海市", "上海市", "浦东新区", "世纪大道 100 号", "200120", false);
        Assert.Equal(expected, await update.Content.ReadFromJsonAsync<AddressDto>());
        Assert.Equal([home, expected], await shopper.Http.AddressesAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await shopper.Http.DeleteAsync($"{Addresses}/{office.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await shopper.Http.GetAsync($"{Addresses}/{office.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await shopper.Http.DeleteAsync($"{Addresses}/{office.Id}")).StatusCode);
        Assert.Equal([home], await shopper.Http.AddressesAsync());
    }

    [Fact]
    public async Task Exactly_one_address_is_the_default_whatever_is_done()
    {
        using var shopper = await users.Service.NewShopperAsync();
        var http = shopper.Http;
        async Task<string> DefaultAsync()
        {
            var all = await http.AddressesAsync();
            var defaults = all.Where(a => a.IsDefault).ToList();
            Assert.Single(defaults);
            Assert.Equal(defaults[0], all[0]); // listed first
            return defaults[0].Recipient;
        }

        var a = await http.AddAddressAsync(UsersHttp.Address("A", isDefault: false));
        Assert.True(a.IsDefault, "the first address is the default even when not asked");
        var b = await http.AddAddressAsync(UsersHttp.Address("B"));
        Assert.False(b.IsDefault);
        var c = await http.AddAddressAsync(UsersHttp.Address("C", isDefault: true));
        Assert.Equal("C", await DefaultAsync());

        Assert.True((await (await http.PutAsJsonAsync($"{Addresses}/{b.Id}", UsersHttp.Address("B", isDefault: true))).Content.ReadFromJsonAsync<AddressDto>())!.IsDefault);
        Assert.Equal("B", await DefaultAsync());

        var made = await http.PutAsync($"{Addresses}/{a.Id}/default", null);
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        Assert.True((await made.Content.ReadFromJsonAsync<AddressDto>())!.IsDefault);
        Assert.Equal("A", await DefaultAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsync($"{Addresses}/{a.Id}/default", null)).StatusCode);
        Assert.Equal("A", await DefaultAsync());

        // The default cannot be switched off, only moved; leaving isDefault out changes nothing.
        var refused = await ProblemAssert.StatusAsync(await http.PutAsJsonAsync($"{Addresses}/{a.Id}", UsersHttp.Address("A2", isDefault: false)), HttpStatusCode.Conflict);
        Assert.Equal("A default address is required", refused.Title);
        Assert.Equal("A", (await http.GetFromJsonAsync<AddressDto>($"{Addresses}/{a.Id}"))!.Recipient);
        await http.PutAsJsonAsync($"{Addresses}/{a.Id}", UsersHttp.Address("A"));
        await http.PutAsJsonAsync($"{Addresses}/{c.Id}", UsersHttp.Address("C"));
        Assert.Equal("A", await DefaultAsync());

        // Deleting the default makes the oldest remaining address the default.
        await http.DeleteAsync($"{Addresses}/{a.Id}");
        Assert.Equal("B", await DefaultAsync());
        await http.DeleteAsync($"{Addresses}/{c.Id}");
        Assert.Equal("B", await DefaultAsync());
        await http.DeleteAsync($"{Addresses}/{b.Id}");
        Assert.Empty(await http.AddressesAsync());
        Assert.True((await http.AddAddressAsync(UsersHttp.Address("D"))).IsDefault);
    }

    [Fact]
    public async Task Concurrent_changes_keep_one_default_and_the_limit()
    {
        using var shopper = await users.Service.NewShopperAsync();
        var http = shopper.Http;

        var adds = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => http.PostAsJsonAsync(Addresses, UsersHttp.Address($"R{i}", isDefault: i % 3 == 0))));

        Assert.Equal(20, adds.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(4, adds.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var all = await http.AddressesAsync();
        Assert.Equal(20, all.Count);
        Assert.Single(all, a => a.IsDefault);
    }

    [Fact]
    public async Task The_address_book_is_bounded()
    {
        using var shopper = await users.Service.NewShopperAsync();
        var added = new List<AddressDto>();
        for (var i = 0; i < 20; i++)
        {
            added.Add(await shopper.Http.AddAddressAsync(UsersHttp.Address($"收件人{i}")));
        }

        var full = await ProblemAssert.StatusAsync(await shopper.Http.PostAsJsonAsync(Addresses, UsersHttp.Address("一个太多")), HttpStatusCode.Conflict);
        Assert.Equal("Address book full", full.Title);
        Assert.Equal(20, (await shopper.Http.AddressesAsync()).Count);

        await shopper.Http.DeleteAsync($"{Addresses}/{added[5].Id}");
        await shopper.Http.AddAddressAsync(UsersHttp.Address("又有位置了"));
        Assert.Equal(20, (await shopper.Http.AddressesAsync()).Count);
    }

    public static TheoryData<AddressInput, string[]> BadAddresses => new()
    {
        { new AddressInput(null, null, null, null, null, null, null), ["recipient", "phone", "province", "city", "district", "line"] },
        { UsersHttp.Address() with { Recipient = "  " }, ["recipient"] },
        { UsersHttp.Address() with { Recipient = new string('收', 51) }, ["recipient"] },
        { UsersHttp.Address() with { Recipient = "tab\tname" }, ["recipient"] },
        { UsersHttp.Address() with { Phone = "" }, ["phone"] },
        { UsersHttp.Address() with { Phone = "1380013800" }, ["phone"] },
        { UsersHttp.Address() with { Phone = "abc" }, ["phone"] },
        { UsersHttp.Address() with { Province = "" }, ["province"] },
        { UsersHttp.Address() with { City = new string('市', 31) }, ["city"] },
        { UsersHttp.Address() with { District = null }, ["district"] },
        { UsersHttp.Address() with { Line = "" }, ["line"] },
        { UsersHttp.Address() with { Line = new string('路', 201) }, ["line"] },
        { UsersHttp.Address() with { PostalCode = "12345" }, ["postalCode"] },
        { UsersHttp.Address() with { PostalCode = "abcdef" }, ["postalCode"] },
        { UsersHttp.Address() with { Phone = "1", PostalCode = "1" }, ["phone", "postalCode"] },
    };

    [Theory]
    [MemberData(nameof(BadAddresses))]
    public async Task Bad_addresses_get_400_per_field_and_write_nothing(AddressInput bad, string[] fields)
    {
        using var shopper = await users.Service.NewShopperAsync();
        var existing = await shopper.Http.AddAddressAsync(UsersHttp.Address("原地址"));

        await ProblemAssert.FieldErrorsAsync(await shopper.Http.PostAsJsonAsync(Addresses, bad with { IsDefault = true }), fields);
        await ProblemAssert.FieldErrorsAsync(await shopper.Http.PutAsJsonAsync($"{Addresses}/{existing.Id}", bad), fields);

        Assert.Equal([existing], await shopper.Http.AddressesAsync());
    }

    [Fact]
    public async Task Malformed_address_bodies_get_400_problems()
    {
        using var shopper = await users.Service.NewShopperAsync();
        var existing = await shopper.Http.AddAddressAsync(UsersHttp.Address());

        await ProblemAssert.FieldErrorsAsync(await shopper.Http.SendJsonAsync(HttpMethod.Post, Addresses, "{\"recipient\": \"张三\", "), "body");
        await ProblemAssert.FieldErrorsAsync(await shopper.Http.SendJsonAsync(HttpMethod.Put, $"{Addresses}/{existing.Id}", """{"isDefault": "yes"}"""), "isDefault");
        Assert.Equal([existing], await shopper.Http.AddressesAsync());
    }

    [Fact]
    public async Task Unknown_address_ids_get_404()
    {
        using var shopper = await users.Service.NewShopperAsync();
        var unknown = $"{Addresses}/{Guid.NewGuid()}";

        Assert.Equal(HttpStatusCode.NotFound, (await shopper.Http.GetAsync(unknown)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await shopper.Http.PutAsJsonAsync(unknown, UsersHttp.Address())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await shopper.Http.PutAsync($"{unknown}/default", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await shopper.Http.DeleteAsync(unknown)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await shopper.Http.GetAsync($"{Addresses}/not-a-guid")).StatusCode);
    }
}
