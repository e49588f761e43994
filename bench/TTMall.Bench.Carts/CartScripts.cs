using System.Globalization;
using System.Text;

namespace TTMall.Bench.Carts;

/// <summary>
/// wrk Lua scripts that spread requests over many shoppers (one access token each). Every request is formatted
/// once in init(): per-request Lua work would make wrk, not the services, the limit. Each wrk thread starts
/// elsewhere in the list, so threads do not send the same request at the same moment.
/// </summary>
public static class CartScripts
{
    public const string CartPath = "/api/carts/me";
    public const string ItemsPath = "/api/carts/me/items";

    /// <summary>GET /api/carts/me, one shopper after another.</summary>
    public static string Reads(IReadOnlyList<string> tokens) => Script(tokens, [], """
        function init(args)
          for u = 1, #tokens do
            requests[u] = wrk.format("GET", "{cart}", { ["Authorization"] = "Bearer " .. tokens[u] })
          end
          index = (offset or 0) % #requests
        end
        """.Replace("{cart}", CartPath, StringComparison.Ordinal));

    /// <summary>
    /// POST /api/carts/me/items adding one piece, one shopper after another, then the next product for each: a
    /// shopper's line grows by one every users × products requests, so no line reaches its bound in a run.
    /// </summary>
    public static string Adds(IReadOnlyList<string> tokens, IReadOnlyList<int> products) => Script(tokens, products, """
        function init(args)
          for p = 1, #products do
            local body = '{"productId":' .. products[p] .. ',"quantity":1}'
            for u = 1, #tokens do
              requests[#requests + 1] = wrk.format("POST", "{items}",
                { ["Authorization"] = "Bearer " .. tokens[u], ["Content-Type"] = "application/json" }, body)
            end
          end
          index = (offset or 0) % #requests
        end
        """.Replace("{items}", ItemsPath, StringComparison.Ordinal));

    private static string Script(IReadOnlyList<string> tokens, IReadOnlyList<int> products, string init)
    {
        var lua = new StringBuilder();
        lua.AppendLine("-- Written by TTMall.Bench.Carts.");
        lua.AppendLine("local tokens = {");
        foreach (var token in tokens)
        {
            // JWTs are base64url and dots: nothing to escape.
            lua.Append("  \"").Append(token).AppendLine("\",");
        }

        lua.AppendLine("}");
        lua.Append("local products = { ").AppendJoin(", ", products.Select(p => p.ToString(CultureInfo.InvariantCulture))).AppendLine(" }");
        lua.AppendLine("""
            local requests = {}
            local index = 0
            local threads = 0

            function setup(thread)
              thread:set("offset", threads * 7919)
              threads = threads + 1
            end

            function request()
              index = index % #requests + 1
              return requests[index]
            end
            """);
        lua.AppendLine(init);
        return lua.ToString();
    }
}
