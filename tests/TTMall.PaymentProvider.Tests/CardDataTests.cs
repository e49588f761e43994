using System.Net;
using Npgsql;

namespace TTMall.PaymentProvider.Tests;

/// <summary>
/// A whole card number is kept nowhere: not in any column of the provider's database (the charge, the Idempotency-Key's
/// stored result and fingerprint), and not in its logs at any level, whatever became of the request.
/// </summary>
[Collection(ProviderCollection.Name)]
public class CardDataTests(ProviderFixture provider)
{
    [Fact]
    public async Task No_card_number_is_stored_or_logged()
    {
        using var http = provider.Client();
        var number = NewCardNumber();
        var spaced = string.Join(' ', number.Chunk(4).Select(c => new string(c)));
        var cvc = Random.Shared.Next(1000, 10000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var reference = ProviderApi.NewReference();
        var key = Guid.NewGuid().ToString();

        var charge = await http.ChargedAsync(ProviderApi.Body(reference, spaced, cvc: cvc), key);
        await http.ChargedAsync(ProviderApi.Body(reference, spaced, cvc: cvc), key);
        using (var reused = await http.ChargeAsync(ProviderApi.Body(reference, number, amount: 1m, cvc: cvc), key))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        }

        using (var expired = await http.ChargeAsync(ProviderApi.Body(reference, number, expiry: "01/21", cvc: cvc)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        }

        Assert.Equal(number[^4..], charge.Last4);
        var secrets = new[] { number, spaced, number[..12], number[4..] };
        // The CVC is not searched for: four digits turn up by chance in random ids.
        var stored = await TextColumnsContainingAsync(secrets);
        Assert.True(stored.Count == 0, $"card data found in {string.Join(", ", stored)}");
        // The searches find what is there: the reference is stored, and the requests were logged.
        Assert.Contains("charges.Reference", await TextColumnsContainingAsync([reference]));
        Assert.Contains(provider.Logs.Entries, entry => entry.Contains("/v1/charges", StringComparison.Ordinal));
        Assert.DoesNotContain(provider.Logs.Entries, entry => secrets.Any(s => entry.Contains(s, StringComparison.Ordinal)));
    }

    /// <summary>A valid (Luhn) number no other test uses, so finding it anywhere means this test's request put it there.</summary>
    private static string NewCardNumber()
    {
        var body = "4" + string.Concat(Enumerable.Range(0, 14).Select(_ => Random.Shared.Next(10)));
        return body + Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .First(d => PaymentProvider.CardNumber.PassesLuhn(body + d));
    }

    /// <summary>"table.column" of every text-like column holding any of <paramref name="needles"/>.</summary>
    private async Task<List<string>> TextColumnsContainingAsync(string[] needles)
    {
        await using var connection = new NpgsqlConnection(provider.ConnectionString);
        await connection.OpenAsync();
        var columns = new List<(string Table, string Column)>();
        await using (var query = new NpgsqlCommand(
            """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
            """, connection))
        await using (var reader = await query.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        Assert.Contains(("charges", "Last4"), columns);
        Assert.Contains(("idempotency_keys", "Result"), columns);
        var found = new List<string>();
        foreach (var (table, column) in columns)
        {
            await using var search = new NpgsqlCommand(
                $"SELECT count(*) FROM \"{table}\" WHERE \"{column}\"::text LIKE ANY (@patterns)", connection);
            search.Parameters.AddWithValue("patterns", needles.Select(n => $"%{n}%").ToArray());
            if ((long)(await search.ExecuteScalarAsync())! > 0)
            {
                found.Add($"{table}.{column}");
            }
        }

        return found;
    }
}
