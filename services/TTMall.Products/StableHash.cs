namespace TTMall.Products;

/// <summary>FNV-1a over UTF-16 code units: the same on every machine and run (string.GetHashCode is not).</summary>
public static class StableHash
{
    public static uint Of(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
