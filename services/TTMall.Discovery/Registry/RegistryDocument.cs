using System.IO.Compression;

namespace TTMall.Discovery.Registry;

/// <summary>A registry document ready to send: its JSON, and the same gzipped for clients that ask for it.</summary>
public sealed class RegistryDocument(byte[] json)
{
    private readonly Lazy<byte[]> _gzip = new(() =>
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(json);
        }

        return buffer.ToArray();
    });

    public byte[] Json { get; } = json;
    public byte[] Gzip => _gzip.Value;
}
