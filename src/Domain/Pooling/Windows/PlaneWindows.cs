namespace ConvService.Domain.Pooling.Windows;

/// <summary>
/// The windows of one plane (a line, plane or volume of d spatial axes) in the form every reduction works in: rows ×
/// columns. The last axis is a row of <see cref="Width"/> elements, windowed by <see cref="Columns"/>. The leading
/// axes flatten into <see cref="Height"/> input rows (row <c>(z·H + y)</c> in 3-D) and <see cref="RowCount"/> output
/// rows; output row r reads the input rows of <see cref="RunsOf"/>(r), runs of consecutive rows in row-major window
/// order, and its divisor along them is <see cref="RowExtent"/>(r). A 1-D line is one row read by one run; a 2-D
/// window is one run of its rows; a 3-D window one run per depth tap.
/// </summary>
internal sealed class PlaneWindows
{
    private readonly AxisWindows[] _axes;
    private readonly int[] _inputSizes;
    private readonly int[] _firstRun;
    private readonly long[] _extents;
    private RowRun[] _runs = [];

    private PlaneWindows(AxisWindows[] axes, int[] inputSizes)
    {
        _axes = axes;
        _inputSizes = inputSizes;
        RowCount = 1;
        Height = 1;
        for (var axis = 0; axis < axes.Length - 1; axis++)
            (RowCount, Height) = (RowCount * axes[axis].Count, Height * inputSizes[axis]);
        _firstRun = new int[RowCount + 1];
        _extents = new long[RowCount];
        Refresh();
    }

    public AxisWindows Columns => _axes[^1];

    /// <summary>The windows of spatial axis <paramref name="axis"/> (0 = outermost).</summary>
    public AxisWindows Axis(int axis) => _axes[axis];

    /// <summary>The input size of the last axis.</summary>
    public int Width => _inputSizes[^1];

    /// <summary>The input rows: the product of the leading axes' input sizes (1 for a line).</summary>
    public int Height { get; }

    /// <summary>The output rows: the product of the leading axes' window counts (1 for a line).</summary>
    public int RowCount { get; }

    public int InputLength => Height * Width;

    public int OutputLength => RowCount * Columns.Count;

    /// <summary>Whether every output row reads at least one input row.</summary>
    public bool RowsHoldCells { get; private set; }

    /// <summary>The runs of input rows that output row <paramref name="row"/> reads, in row-major window order.</summary>
    public ReadOnlySpan<RowRun> RunsOf(int row) => _runs.AsSpan(_firstRun[row], _firstRun[row + 1] - _firstRun[row]);

    /// <summary>The product of the leading axes' extents of output row <paramref name="row"/> (its divisor before the columns').</summary>
    public long RowExtent(int row) => _extents[row];

    /// <summary>The divisor of window <paramref name="k"/> (row-major over the output plane): the product of its extents along every axis.</summary>
    public long Extent(int k) => _extents[k / Columns.Count] * Columns.Extent[k % Columns.Count];

    /// <summary>Whether window <paramref name="k"/> holds at least one input cell.</summary>
    public bool HoldsCells(int k) => _firstRun[k / Columns.Count + 1] > _firstRun[k / Columns.Count] && Columns.Begin[k % Columns.Count] < Columns.End[k % Columns.Count];

    /// <summary>The cells window <paramref name="k"/> (row-major over the output plane) reads, one input row at a time, in row-major window order.</summary>
    public WindowCells CellsOf(int k)
    {
        var (row, column) = (k / Columns.Count, k % Columns.Count);
        var (begin, end, step) = (Columns.Begin[column], Columns.End[column], Columns.Step);
        return new WindowCells(RunsOf(row), Width, begin, Math.Max(0, (end - begin + step - 1) / step));
    }

    /// <summary>The windows of <paramref name="axes"/> (one per spatial axis, outermost first) over inputs of <paramref name="inputSizes"/>.</summary>
    public static PlaneWindows Create(AxisWindows[] axes, int[] inputSizes) => new(axes, inputSizes);

    /// <summary>Recomputes the rows after the axes' windows moved (fractional-max places them per plane).</summary>
    public void Refresh()
    {
        var leading = _axes.Length - 1;
        var count = 0;
        var holdCells = true;
        if (leading == 0)
        {
            Add(ref count, new RowRun(0, 1));
            (_firstRun[0], _firstRun[1], _extents[0]) = (0, 1, 1);
            RowsHoldCells = true;
            return;
        }
        Span<int> at = stackalloc int[leading];
        for (var row = 0; row < RowCount; row++)
        {
            _firstRun[row] = count;
            var extent = 1L;
            for (var axis = 0; axis < leading; axis++)
                extent *= _axes[axis].Extent[at[axis]];
            _extents[row] = extent;
            AddRuns(0, 0, at, ref count);
            holdCells &= count > _firstRun[row];
            for (var axis = leading - 1; axis >= 0 && ++at[axis] == _axes[axis].Count; axis--)
                at[axis] = 0;
        }
        _firstRun[RowCount] = count;
        RowsHoldCells = holdCells;
    }

    // Runs of the leading axes' taps from `axis` on, under the row index `prefix` of the axes before it.
    private void AddRuns(int axis, int prefix, ReadOnlySpan<int> at, ref int count)
    {
        var windows = _axes[axis];
        var (begin, end) = (windows.Begin[at[axis]], windows.End[at[axis]]);
        var size = _inputSizes[axis];
        if (axis == _axes.Length - 2)
        {
            if (windows.Step == 1 && begin < end)
                Add(ref count, new RowRun(prefix * size + begin, end - begin));
            else
            {
                for (var position = begin; position < end; position += windows.Step)
                    Add(ref count, new RowRun(prefix * size + position, 1));
            }
            return;
        }
        for (var position = begin; position < end; position += windows.Step)
            AddRuns(axis + 1, prefix * size + position, at, ref count);
    }

    private void Add(ref int count, RowRun run)
    {
        if (count == _runs.Length)
            Array.Resize(ref _runs, Math.Max(4, 2 * _runs.Length));
        _runs[count++] = run;
    }
}

/// <summary><see cref="Count"/> consecutive input rows from row <see cref="First"/>.</summary>
internal readonly record struct RowRun(int First, int Count);

/// <summary>
/// The cells of one window, an input row at a time: <see cref="Current"/> is the flat position of the row's first tap
/// and the number of taps (<see cref="AxisWindows.Step"/> apart) it holds.
/// </summary>
internal ref struct WindowCells(ReadOnlySpan<RowRun> runs, int width, int begin, int taps)
{
    private readonly ReadOnlySpan<RowRun> _runs = runs;
    private int _run;
    private int _row = -1;

    public readonly (int Offset, int Taps) Current => (_row * width + begin, taps);

    public readonly WindowCells GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_row >= 0 && _row + 1 < _runs[_run].First + _runs[_run].Count)
        {
            _row++;
            return true;
        }
        if (_row >= 0)
            _run++;
        if (_run >= _runs.Length)
            return false;
        _row = _runs[_run].First;
        return true;
    }
}
