using Microsoft.Extensions.Primitives;

namespace TTMall.Eureka.Client;

/// <summary>A change token that can be fired any number of times: each <see cref="Fire"/> ends the tokens handed out before it.</summary>
public sealed class ChangeSignal
{
    private readonly Lock _lock = new();
    private CancellationTokenSource _changed = new();

    /// <summary>Fires at the next <see cref="Fire"/>. Take it before reading what it watches, so a change in between is not missed.</summary>
    public IChangeToken Token
    {
        get
        {
            lock (_lock)
            {
                return new CancellationChangeToken(_changed.Token);
            }
        }
    }

    public void Fire()
    {
        CancellationTokenSource previous;
        lock (_lock)
        {
            previous = _changed;
            _changed = new CancellationTokenSource();
        }

        // Not disposed: change tokens handed out earlier still refer to it.
        previous.Cancel();
    }
}
