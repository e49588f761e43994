using System.Diagnostics;
using System.Globalization;
using TTMall.Testing;

namespace TTMall.Bench.Gateway;

/// <summary>
/// nginx (the Debian package) as a reverse proxy over the same products replicas as the gateway, configured as one
/// would for production: upstream keepalive (connections to the replicas are reused, as YARP reuses them), HTTP/1.1
/// to the upstreams, the X-Forwarded-* headers YARP also adds, no access log (the gateway logs no request either),
/// and a failed connection tried on the next replica (as the gateway does for GETs). Run in the foreground as a child
/// of this tool, from a configuration in a temporary folder, on a free port.
/// </summary>
public sealed class Nginx : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private Nginx(ChildProcess process, int port, string configuration)
    {
        _process = process;
        Port = port;
        Configuration = configuration;
    }

    public int Port { get; }

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    /// <summary>The configuration file it runs with.</summary>
    public string Configuration { get; }

    public int Id => _process.Id;

    public static string Locate() =>
        new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
        ?? throw new BenchException("nginx is not installed; the comparison needs it. Install it with: sudo apt-get install nginx");

    public static async Task<Nginx> StartAsync(string nginx, DirectoryInfo temp, int port, IReadOnlyList<int> upstreamPorts, string workers, CancellationToken cancellationToken)
    {
        var dir = Directory.CreateDirectory(Path.Combine(temp.FullName, "nginx"));
        var conf = Path.Combine(dir.FullName, "nginx.conf");
        await File.WriteAllTextAsync(conf, Config(dir.FullName, port, upstreamPorts, workers), cancellationToken);
        var process = ChildProcess.Start(new ProcessStartInfo(nginx)
        {
            // -e stderr: not even the start-up goes to /var/log/nginx.
            ArgumentList = { "-p", dir.FullName, "-e", "stderr", "-c", conf, "-g", "daemon off;" },
        });
        var started = new Nginx(process, port, conf);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        for (var deadline = Stopwatch.StartNew(); deadline.Elapsed < TimeSpan.FromSeconds(20); await Task.Delay(100, cancellationToken))
        {
            if (process.HasExited)
            {
                throw new BenchException($"nginx exited with {process.ExitCode}:\n{process.Output}\n(configuration: {conf})");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(started.BaseUri, "health"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return started;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
            }
        }

        await started.DisposeAsync();
        throw new BenchException($"nginx did not answer within 20 s:\n{process.Output}");
    }

    public string Output => _process.Output;

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static string Config(string dir, int port, IReadOnlyList<int> upstreamPorts, string workers)
    {
        var servers = string.Join("\n", upstreamPorts.Select(p => string.Create(CultureInfo.InvariantCulture, $"        server 127.0.0.1:{p};")));
        return string.Create(CultureInfo.InvariantCulture, $$"""
            # Written by TTMall.Bench.Gateway: nginx in front of the same products replicas as the gateway.
            worker_processes {{workers}};
            pid {{dir}}/nginx.pid;
            error_log stderr warn;

            events {
                worker_connections 4096;
            }

            http {
                access_log off;
                client_body_temp_path {{dir}}/client_body;
                proxy_temp_path {{dir}}/proxy;
                fastcgi_temp_path {{dir}}/fastcgi;
                uwsgi_temp_path {{dir}}/uwsgi;
                scgi_temp_path {{dir}}/scgi;

                upstream products {
            {{servers}}
                    # Idle connections to the replicas kept per worker, reused as YARP reuses its pooled ones.
                    keepalive 64;
                }

                server {
                    listen 127.0.0.1:{{port}};

                    location / {
                        proxy_pass http://products;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_set_header X-Forwarded-Host $host;
                        proxy_next_upstream error timeout;
                    }
                }
            }
            """);
    }
}
