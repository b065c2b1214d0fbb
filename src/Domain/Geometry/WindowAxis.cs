namespace ConvService.Domain.Geometry;

/// <summary>
/// How a sliding window walks one spatial axis: window <c>o</c> reads input positions
/// <c>o·Stride − PadBegin + k·Dilation</c> for <c>k</c> in [0, Kernel).
/// </summary>
public readonly record struct WindowAxis(int Input, int Kernel, int Stride, int Dilation, int PadBegin, int PadEnd, int Output)
{
    /// <summary>The extent the kernel covers: <c>Dilation·(Kernel − 1) + 1</c>.</summary>
    public long DilatedKernel => (long)Dilation * (Kernel - 1) + 1;

    /// <summary>The input size with both paddings.</summary>
    public long PaddedInput => (long)Input + PadBegin + PadEnd;

    /// <summary>
    /// The input position tap <paramref name="tap"/> of window <paramref name="output"/> reads: <c>output·Stride − PadBegin +
    /// tap·Dilation</c>, below 0 or from <see cref="Input"/> on when it lies in the padding.
    /// </summary>
    public long Position(int output, int tap) => (long)output * Stride - PadBegin + (long)tap * Dilation;

    /// <summary>Builds an axis whose <see cref="Output"/> follows <see cref="OutputSize.Of"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The output size does not fit in an int.</exception>
    public static WindowAxis Create(int input, int kernel, int stride, int dilation, int padBegin, int padEnd, bool ceilMode = false)
    {
        var output = OutputSize.Of(input, padBegin, padEnd, kernel, stride, dilation, ceilMode);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(output, int.MaxValue, nameof(input));
        return new WindowAxis(input, kernel, stride, dilation, padBegin, padEnd, (int)output);
    }
}
