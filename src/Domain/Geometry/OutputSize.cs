namespace ConvService.Domain.Geometry;

/// <summary>The one place that says how many windows fit along an axis (convolution and pooling alike).</summary>
public static class OutputSize
{
    /// <summary>
    /// <c>O = floor((I + padBegin + padEnd − dilation·(K − 1) − 1) / stride) + 1</c>, or with
    /// <paramref name="ceilMode"/> the ceiling, dropping a last window that would start in the end padding
    /// (PyTorch's pooling rule: <c>(O − 1)·stride ≥ I + padBegin</c> loses that window). As PyTorch, the ceiling
    /// still gives one window when the dilated kernel overhangs the padded input by less than a stride.
    /// </summary>
    /// <returns>The window count, 0 when no window fits.</returns>
    public static long Of(long input, long padBegin, long padEnd, long kernel, long stride, long dilation, bool ceilMode = false)
    {
        var span = input + padBegin + padEnd - (dilation * (kernel - 1) + 1);
        var numerator = ceilMode ? span + stride - 1 : span;
        if (numerator < 0)
            return 0;
        var count = numerator / stride + 1;
        if (ceilMode && (count - 1) * stride >= input + padBegin)
            count--;
        return count;
    }
}
