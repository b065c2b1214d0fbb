"""ConvService from Python: PyTorch's convolution and pooling over HTTP, tensors in binary.

Uses only numpy and requests. Speaks the Open Inference Protocol (KServe v2) with Triton's binary tensor extension,
as tritonclient does: a compact JSON header, its length in Inference-Header-Content-Length, then each input's raw
little-endian bytes; outputs come back the same way. float32 arrays compute in float32, float64 arrays in float64.

    import numpy as np
    from convservice import ConvService

    service = ConvService("http://localhost:5080")
    image = np.array([[4, 5, 2, 2, 1], [3, 3, 2, 2, 4], [4, 3, 4, 1, 1], [5, 1, 4, 1, 2], [5, 1, 3, 1, 4]], dtype=np.float64)
    kernel = np.array([[4, 3, 3], [5, 5, 5], [2, 4, 3]], dtype=np.float64)
    service.conv2d(image, kernel)                       # [[109, 92, 72], [108, 85, 74], [110, 74, 79]]
    service.conv2d_backward(image, kernel)["grad_weight"]
    service.pool("max", service.conv2d(image, kernel), kernel_size=2, stride=1)
"""
import json

import numpy as np
import requests

_DATATYPES = {np.dtype(np.float32): "FP32", np.dtype(np.float64): "FP64"}
_NUMPY = {"FP32": np.float32, "FP64": np.float64, "INT64": np.int64}


class ConvServiceError(Exception):
    """The service refused the request; the message is its {"error"} text, naming the input or parameter."""

    def __init__(self, status, message):
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.message = message


class ConvService:
    def __init__(self, url, session=None, timeout=60):
        self.url = url.rstrip("/")
        self.session = session or requests.Session()
        self.timeout = timeout

    def infer(self, model, inputs, parameters=None, outputs=None):
        """Runs model (e.g. "conv2d", "max_pool2d_backward") on inputs ({"input": array, "weight": array, ...}) and
        returns its outputs as numpy arrays by name. parameters take PyTorch's names; tuples and lists go as per-axis
        values. outputs: the names wanted (all when None)."""
        arrays = {name: np.ascontiguousarray(value) for name, value in inputs.items() if value is not None}
        dtypes = {array.dtype for array in arrays.values()}
        if len(dtypes) != 1 or next(iter(dtypes)) not in _DATATYPES:
            raise ValueError(f"send every input as float32 or every input as float64; got {sorted(str(d) for d in dtypes)}")
        datatype = _DATATYPES[next(iter(dtypes))]
        header = {"inputs": [
            {"name": name, "shape": list(array.shape), "datatype": datatype, "parameters": {"binary_data_size": array.nbytes}}
            for name, array in arrays.items()]}
        if outputs is not None:
            header["outputs"] = [{"name": name, "parameters": {"binary_data": True}} for name in outputs]
        options = {"binary_data_output": True}
        options.update({name: _parameter(value) for name, value in (parameters or {}).items() if value is not None})
        header["parameters"] = options
        head = json.dumps(header, separators=(",", ":")).encode()
        body = b"".join([head, *(array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes() for array in arrays.values())])
        response = self.session.post(f"{self.url}/v2/models/{model}/infer", data=body, timeout=self.timeout,
                                     headers={"Inference-Header-Content-Length": str(len(head))})
        return _outputs(response)

    def conv(self, input, weight, bias=None, spatial_dims=2, **options):
        """F.conv1d/2d/3d: stride, padding (int, per-axis list, [begin, end] pairs, "valid", "same", "same-upper",
        "same-lower"), dilation, groups, padding_mode."""
        return self.infer(f"conv{spatial_dims}d", {"input": input, "weight": weight, "bias": bias}, options)["output"]

    def conv2d(self, input, weight, bias=None, **options):
        return self.conv(input, weight, bias, 2, **options)

    def conv_backward(self, input, weight, bias=None, grad_output=None, spatial_dims=2, **options):
        """The gradients of conv's output (times grad_output; all ones when None): grad_input, grad_weight, grad_bias."""
        return self.infer(f"conv{spatial_dims}d_backward", {"input": input, "weight": weight, "bias": bias, "grad_output": grad_output}, options)

    def conv2d_backward(self, input, weight, bias=None, grad_output=None, **options):
        return self.conv_backward(input, weight, bias, grad_output, 2, **options)

    def pool(self, mode, input, spatial_dims=2, random_samples=None, **options):
        """mode: max, avg, lp, fractional_max, adaptive_max, adaptive_avg, with PyTorch's options (kernel_size, stride,
        padding, dilation, ceil_mode, count_include_pad, divisor_override, norm_type, output_size, output_ratio, seed,
        return_indices). Returns the output, or a dict with indices / random_samples when there are more outputs."""
        result = self.infer(f"{mode.replace('-', '_')}_pool{spatial_dims}d", {"input": input, "random_samples": random_samples}, options)
        return result["output"] if len(result) == 1 else result

    def pool_backward(self, mode, input, grad_output=None, spatial_dims=2, random_samples=None, **options):
        """The gradient with respect to the input of the pooled output (times grad_output; all ones when None)."""
        inputs = {"input": input, "grad_output": grad_output, "random_samples": random_samples}
        return self.infer(f"{mode.replace('-', '_')}_pool{spatial_dims}d_backward", inputs, options)["grad_input"]


def _parameter(value):
    if isinstance(value, (tuple, list)):
        return json.dumps(value, separators=(",", ":"))
    if isinstance(value, np.generic):
        return value.item()
    return value


def _outputs(response):
    if response.status_code != 200:
        try:
            message = response.json()["error"]
        except (ValueError, KeyError):
            message = response.text
        raise ConvServiceError(response.status_code, message)
    body = response.content
    length = int(response.headers.get("Inference-Header-Content-Length", len(body)))
    header = json.loads(body[:length])
    offset, results = length, {}
    for output in header["outputs"]:
        dtype = np.dtype(_NUMPY[output["datatype"]]).newbyteorder("<")
        size = output.get("parameters", {}).get("binary_data_size")
        if size is None:
            values = np.array([_number(v) for v in output["data"]], dtype=dtype)
        else:
            values = np.frombuffer(body, dtype=dtype, count=size // dtype.itemsize, offset=offset)
            offset += size
        results[output["name"]] = values.reshape(output["shape"])
    return results


def _number(value):
    return float(value) if isinstance(value, str) else value
