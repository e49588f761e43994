using System.Net;
using System.Net.Http.Json;
using Npgsql;
using TTMall.Products.Data;

namespace TTMall.Carts.Tests;

/// <summary>
/// Products for one test, written straight into productsdb (the products service has no admin API yet). The
/// products schema grows while carts are written, so this names only the columns carts rely on (Id, Name, Price,
/// Stock) and the unique Sku, and copies every other column from a seeded product. Each change is waited for until
/// the products service serves it (it keeps a product in memory for a moment).
/// </summary>
public sealed class TestCatalog(string connectionString, MallServiceHost<ProductsDbContext> products)
{
    /// <summary>The product every new catalog is seeded with; test products copy its other columns.</summary>
    public const string SeededTemplate = "Cherry MX 机械键盘";

    /// <summary>A new product, as the products service now serves it.</summary>
    public async Task<int> AddAsync(decimal price, int stock = 100, string? name = null)
    {
        await using var connection = await OpenAsync();
        var (hasStock, hasSku, others) = await ColumnsAsync(connection);
        var columns = string.Join("", others.Select(c => ", " + c));
        var (stockColumn, stockValue) = hasStock ? ("\"Stock\", ", "@stock, ") : ("", "");
        var (skuColumn, skuValue) = hasSku ? ("\"Sku\", ", "@sku, ") : ("", "");
        await using var insert = new NpgsqlCommand(
            $"""
            INSERT INTO products ({stockColumn}{skuColumn}"Name", "Price"{columns})
            SELECT {stockValue}{skuValue}@name, @price{columns} FROM products WHERE "Name" = @template
            RETURNING "Id"
            """,
            connection);
        insert.Parameters.AddWithValue("name", name ?? $"Test product {Guid.NewGuid():N}");
        insert.Parameters.AddWithValue("sku", $"T-{Guid.NewGuid():N}");
        insert.Parameters.AddWithValue("price", price);
        insert.Parameters.AddWithValue("stock", stock);
        insert.Parameters.AddWithValue("template", SeededTemplate);
        var id = (int)(await insert.ExecuteScalarAsync() ?? throw new InvalidOperationException($"The seeded product {SeededTemplate} is missing."));

        await ServedAsync(id, p => p?.Price == price, $"new product {id} at {price}");
        return id;
    }

    public async Task SetPriceAsync(int id, decimal price)
    {
        await UpdateAsync(id, "Price", price);
        await ServedAsync(id, p => p?.Price == price, $"product {id} at {price}");
    }

    public async Task SetStockAsync(int id, int stock)
    {
        await using (var connection = await OpenAsync())
        {
            Assert.True((await ColumnsAsync(connection)).HasStock, "productsdb's products have no Stock column: the products service keeps no stock yet.");
        }

        await UpdateAsync(id, "Stock", stock);
        await ServedAsync(id, p => p?.Stock == stock, $"product {id} with stock {stock}");
    }

    public async Task DeleteAsync(int id)
    {
        await using var connection = await OpenAsync();
        await using var delete = new NpgsqlCommand("""DELETE FROM products WHERE "Id" = @id""", connection);
        delete.Parameters.AddWithValue("id", id);
        Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        await ServedAsync(id, p => p is null, $"product {id} gone");
    }

    /// <summary>An id no product has.</summary>
    public async Task<int> UnknownIdAsync()
    {
        await using var connection = await OpenAsync();
        await using var max = new NpgsqlCommand("""SELECT COALESCE(MAX("Id"), 0) FROM products""", connection);
        return (int)(await max.ExecuteScalarAsync())! + 1_000_000;
    }

    /// <summary>Waits until the products service's answer for <paramref name="id"/> (null: 404) satisfies <paramref name="condition"/>.</summary>
    private async Task ServedAsync(int id, Func<ServedProduct?, bool> condition, string what)
    {
        using var http = products.CreateClient();
        await Eventually.HoldsAsync(
            async () =>
            {
                using var response = await http.GetAsync($"/api/products/{id}");
                return condition(response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<ServedProduct>());
            },
            TimeSpan.FromSeconds(10),
            $"the products service serves {what}");
    }

    private async Task UpdateAsync(int id, string column, object value)
    {
        await using var connection = await OpenAsync();
        await using var update = new NpgsqlCommand($"""UPDATE products SET "{column}" = @value WHERE "Id" = @id""", connection);
        update.Parameters.AddWithValue("value", value);
        update.Parameters.AddWithValue("id", id);
        Assert.Equal(1, await update.ExecuteNonQueryAsync());
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>
    /// Whether products have a Stock column and a (unique) Sku column, and the other columns that a row can be given
    /// (generated ones cannot).
    /// </summary>
    private static async Task<(bool HasStock, bool HasSku, List<string> Others)> ColumnsAsync(NpgsqlConnection connection)
    {
        await using var query = new NpgsqlCommand(
            """
            SELECT column_name, is_generated = 'NEVER' AND is_identity = 'NO' FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = 'products'
            ORDER BY ordinal_position
            """,
            connection);
        var (hasStock, hasSku, others) = (false, false, new List<string>());
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var (column, writable) = (reader.GetString(0), reader.GetBoolean(1));
            hasStock |= column == "Stock";
            hasSku |= column == "Sku";
            if (writable && column is not ("Id" or "Name" or "Price" or "Stock" or "Sku"))
            {
                others.Add($"\"{column}\"");
            }
        }

        return (hasStock, hasSku, others);
    }

    private sealed record ServedProduct(int Id, decimal Price, int? Stock);
}
