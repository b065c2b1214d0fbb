namespace ConvService.Api.Json;

/// <summary>The two ways a tensor travels as JSON; a response writes its tensors in the form of the request's input.</summary>
public enum WireForm
{
    /// <summary>Nested arrays, rank = nesting depth: <c>[[4,5,2],[3,3,2]]</c>.</summary>
    Nested,

    /// <summary>Row-major data with its shape: <c>{"shape": [2,3], "data": [4,5,2,3,3,2]}</c>.</summary>
    Flat,
}
