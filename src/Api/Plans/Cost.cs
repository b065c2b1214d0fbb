namespace ConvService.Api.Plans;

/// <summary>What a planned request will cost, known before anything is allocated; budgets and admission read it.</summary>
/// <param name="Work">Multiply-adds (convolution: both gradients for a backward pass) or window reads (pooling): one work unit for every operation.</param>
/// <param name="ElementsIn">Numbers the request's tensors hold.</param>
/// <param name="ElementsOut">Numbers the response's tensors will hold.</param>
public readonly record struct Cost(long Work, long ElementsIn, long ElementsOut);
