using System.Globalization;
using System.Text;

namespace TTMall.Bench.Carts;

/// <summary>wrk Lua scripts that spread requests over many shoppers (one access token each), see <see cref="Wrk.RequestsScript"/>.</summary>
public static class CartScripts
{
    public const string CartPath = "/api/carts/me";
    public const string ItemsPath = "/api/carts/me/items";

    /// <summary>GET /api/carts/me, one shopper after another.</summary>
    public static string Reads(IReadOnlyList<string> tokens) => Wrk.RequestsScript(
        "GET the cart, one shopper after another",
        Declarations(tokens, []),
        """
          for u = 1, #tokens do
            requests[u] = wrk.format("GET", "{cart}", { ["Authorization"] = "Bearer " .. tokens[u] })
          end
        """.Replace("{cart}", CartPath, StringComparison.Ordinal));

    /// <summary>
    /// POST /api/carts/me/items adding one piece, one shopper after another, then the next product for each: a
    /// shopper's line grows by one every users × products requests, so no line reaches its bound in a run.
    /// </summary>
    public static string Adds(IReadOnlyList<string> tokens, IReadOnlyList<int> products) => Wrk.RequestsScript(
        "POST one piece, one shopper after another, then the next product",
        Declarations(tokens, products),
        """
          for p = 1, #products do
            local body = '{"productId":' .. products[p] .. ',"quantity":1}'
            for u = 1, #tokens do
              requests[#requests + 1] = wrk.format("POST", "{items}",
                { ["Authorization"] = "Bearer " .. tokens[u], ["Content-Type"] = "application/json" }, body)
            end
          end
        """.Replace("{items}", ItemsPath, StringComparison.Ordinal));

    private static string Declarations(IReadOnlyList<string> tokens, IReadOnlyList<int> products)
    {
        var lua = new StringBuilder();
        lua.AppendLine("local tokens = {");
        foreach (var token in tokens)
        {
            // JWTs are base64url and dots: nothing to escape.
            lua.Append("  \"").Append(token).AppendLine("\",");
        }

        lua.AppendLine("}");
        lua.Append("local products = { ").AppendJoin(", ", products.Select(p => p.ToString(CultureInfo.InvariantCulture))).Append(" }");
        return lua.ToString();
    }
}
