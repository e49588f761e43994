namespace TTMall.Gateway;

/// <summary>The gateway's settings (configuration section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>
    /// The mall's front door (http://localhost:8080 under the AppHost), listened on by every replica at once (see
    /// <see cref="SharedPort"/>) besides its own address; none when empty.
    /// </summary>
    public string? FrontDoorUrl { get; set; }

    /// <summary>
    /// Services reachable as /api/&lt;service&gt;/…, each by its discovery VIP address: the ones the AppHost runs, which it
    /// passes as Gateway__Services__N. Any other /api/… is a 404 problem.
    /// </summary>
    public List<string> Services { get; set; } = [];

    /// <summary>The service behind / (the shop's pages), when the AppHost runs one; without it / is a 404.</summary>
    public string? Frontend { get; set; }

    /// <summary>YARP load-balancing policy: RoundRobin, PowerOfTwoChoices, LeastRequests, Random, First.</summary>
    public string LoadBalancingPolicy { get; set; } = "RoundRobin";

    /// <summary>How often each destination's /health is probed.</summary>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a destination that failed a request is left out before it may be tried again (an active probe returns it sooner).</summary>
    public TimeSpan ReactivationPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a GET or HEAD waits while its destination sends nothing before it is sent to another destination (once,
    /// when the response has not begun; a response that stalls this long midway is cut off). A frozen replica accepts
    /// connections and answers nothing; its health probe takes it out within about two seconds, but the reads already
    /// sent to it would wait for it. Zero turns this off (reads then wait as long as writes: YARP's 100 s).
    /// </summary>
    public TimeSpan AnswerTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The largest request body the gateway forwards (413 beyond it). Above any service's own bound (a few KB): room for
    /// what services may take later, while a client cannot tie up a gateway with an endless upload.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The largest body of a request the gateway may send a second time (a PUT, or a write with an Idempotency-Key, whose
    /// replica died before answering), for which it keeps the whole body in memory. A larger body (declared, or found by
    /// reading a chunked one that far) is streamed through once and not repeated: a client cannot make the gateway hold
    /// megabytes per request.
    /// </summary>
    public long MaxRepeatableBodyBytes { get; set; } = 64 * 1024;

    public RateLimitOptions RateLimit { get; set; } = new();

    public sealed class RateLimitOptions
    {
        public bool Enabled { get; set; } = true;

        /// <summary>Requests per second each client (by IP address) may make on average.</summary>
        public int PermitsPerSecond { get; set; } = 500;

        /// <summary>How many requests a client may make at once above the average.</summary>
        public int Burst { get; set; } = 1000;
    }
}
