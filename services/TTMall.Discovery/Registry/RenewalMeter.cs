namespace TTMall.Discovery.Registry;

/// <summary>Heartbeats per second over the last minute, in a ring of sixty counters.</summary>
internal sealed class RenewalMeter
{
    private readonly int[] _perSecond = new int[60];
    private readonly long[] _second = new long[60];

    public void Count(long nowMs)
    {
        var second = nowMs / 1000;
        var slot = (int)(second % 60);
        if (_second[slot] != second)
        {
            _second[slot] = second;
            _perSecond[slot] = 0;
        }

        _perSecond[slot]++;
    }

    public int LastMinute(long nowMs)
    {
        var second = nowMs / 1000;
        var total = 0;
        for (var i = 0; i < 60; i++)
        {
            if (second - _second[i] < 60)
            {
                total += _perSecond[i];
            }
        }

        return total;
    }
}
