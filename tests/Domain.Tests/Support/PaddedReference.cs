namespace ConvService.Domain.Tests.Support;

/// <summary>
/// Naive loops over an already padded input (N, C, Hp, Wp) for the three convolution kernels, written from
/// <c>y[n,o,i,j] = b[o] + Σ x[n, g·Cg + c, i·sH + p·dH, j·sW + q·dW] · w[o,c,p,q]</c> and its two partial derivatives.
/// </summary>
internal sealed record PaddedProblem(int N, int C, int Hp, int Wp, int Cout, int KH, int KW, int Groups, int SH, int SW, int DH, int DW)
{
    public int Ho => (Hp - DH * (KH - 1) - 1) / SH + 1;

    public int Wo => (Wp - DW * (KW - 1) - 1) / SW + 1;

    public int InputLength => N * C * Hp * Wp;

    public int KernelLength => Cout * (C / Groups) * KH * KW;

    public int OutputLength => N * Cout * Ho * Wo;

    public double[] Forward(double[] x, double[] w, double[]? bias)
    {
        var y = new double[OutputLength];
        Visit((xi, wi, yi, _) => y[yi] += x[xi] * w[wi]);
        if (bias is not null)
            for (var i = 0; i < y.Length; i++)
                y[i] += bias[i / (Ho * Wo) % Cout];
        return y;
    }

    public double[] BackwardData(double[] gy, double[] w)
    {
        var gx = new double[InputLength];
        Visit((xi, wi, yi, _) => gx[xi] += gy[yi] * w[wi]);
        return gx;
    }

    public double[] BackwardKernel(double[] x, double[] gy)
    {
        var gw = new double[KernelLength];
        Visit((xi, wi, yi, _) => gw[wi] += gy[yi] * x[xi]);
        return gw;
    }

    public override string ToString() =>
        $"padded {N}×{C}×{Hp}×{Wp}, kernel {Cout}×{C / Groups}×{KH}×{KW}, groups {Groups}, stride {SH}×{SW}, dilation {DH}×{DW}";

    /// <summary>Calls <paramref name="term"/>(input index, kernel index, output index, 0) for every product of the sum.</summary>
    private void Visit(Action<int, int, int, int> term)
    {
        int cg = C / Groups, og = Cout / Groups;
        for (var n = 0; n < N; n++)
            for (var o = 0; o < Cout; o++)
                for (var i = 0; i < Ho; i++)
                    for (var j = 0; j < Wo; j++)
                        for (var c = 0; c < cg; c++)
                            for (var p = 0; p < KH; p++)
                                for (var q = 0; q < KW; q++)
                                {
                                    var xi = ((n * C + o / og * cg + c) * Hp + i * SH + p * DH) * Wp + j * SW + q * DW;
                                    var wi = ((o * cg + c) * KH + p) * KW + q;
                                    term(xi, wi, ((n * Cout + o) * Ho + i) * Wo + j, 0);
                                }
    }
}
