using System.Numerics;

namespace ConvService.Domain.Pooling.Windows;

/// <summary>
/// Where a pooling call's windows come from, plane by plane: the same sliding or adaptive windows for every plane, or
/// fractional-max windows placed per plane by that plane's samples. One source serves one thread: fractional windows
/// are moved in place.
/// </summary>
internal abstract class WindowSource
{
    /// <summary>The windows of plane <paramref name="plane"/> (counted from the first plane the source was made for).</summary>
    public abstract PlaneWindows Of(int plane);

    /// <summary>
    /// The source of <paramref name="geometry"/>'s mode: sliding windows (extents clipped to the padded input when
    /// countIncludePad, else to the input), adaptive windows, or fractional windows placed by <paramref name="samples"/>,
    /// d per plane in PyTorch's order (<see cref="FractionalSamples.AxisOf"/>).
    /// </summary>
    public static WindowSource Create<T>(PoolGeometry geometry, ReadOnlySpan<T> samples) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sizes = geometry.Axes.Select(a => a.Input).ToArray();
        return geometry.Mode.Windowing() switch
        {
            PoolWindowing.Sliding => new Fixed(PlaneWindows.Create([.. geometry.Axes.Select(a => AxisWindows.Sliding(a, geometry.CountIncludePad))], sizes)),
            PoolWindowing.Adaptive => new Fixed(PlaneWindows.Create([.. geometry.Axes.Select(a => AxisWindows.Adaptive(a.Input, a.Output))], sizes)),
            _ => new Fractional<T>(geometry, samples, sizes),
        };
    }

    private sealed class Fixed(PlaneWindows windows) : WindowSource
    {
        public override PlaneWindows Of(int plane) => windows;
    }

    private sealed class Fractional<T> : WindowSource where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly PoolGeometry _geometry;
        private readonly T[] _samples;
        private readonly AxisWindows[] _axes;
        private readonly PlaneWindows _windows;

        public Fractional(PoolGeometry geometry, ReadOnlySpan<T> samples, int[] sizes)
        {
            ArgumentOutOfRangeException.ThrowIfNotEqual(samples.Length, geometry.SpatialDims * geometry.Planes, nameof(samples));
            FractionalSamples.Check(samples);
            _geometry = geometry;
            _samples = samples.ToArray();
            _axes = [.. geometry.Axes.Select(a => AxisWindows.Fractional(a.Output))];
            _windows = PlaneWindows.Create(_axes, sizes);
        }

        public override PlaneWindows Of(int plane)
        {
            var dims = _geometry.SpatialDims;
            for (var k = 0; k < dims; k++)
            {
                var axis = FractionalSamples.AxisOf(dims, k);
                _axes[axis].PlaceFractional(_samples[plane * dims + k], _geometry.Axes[axis].Input, _geometry.Axes[axis].Kernel);
            }
            _windows.Refresh();
            return _windows;
        }
    }
}
