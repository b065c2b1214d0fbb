"""Tests of convservice.py against a running service: python3 test_convservice.py URL

The expected values are the seed homework's (worked by hand in the seed document) and numpy references written here
(a direct sum over the window for convolution and pooling), never the service's own answers.
"""
import sys
import unittest

import numpy as np

from convservice import ConvService, ConvServiceError

URL = "http://127.0.0.1:5080"
IMAGE = np.array([[4, 5, 2, 2, 1], [3, 3, 2, 2, 4], [4, 3, 4, 1, 1], [5, 1, 4, 1, 2], [5, 1, 3, 1, 4]], dtype=np.float64)
KERNEL = np.array([[4, 3, 3], [5, 5, 5], [2, 4, 3]], dtype=np.float64)


def reference_conv2d(x, w, b=None, stride=1, padding=0):
    """(N, C, H, W) ⊛ (Cout, C, kH, kW), cross-correlation, one group, zero padding."""
    x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    n, c, h, wd = x.shape
    cout, _, kh, kw = w.shape
    ho, wo = (h - kh) // stride + 1, (wd - kw) // stride + 1
    out = np.zeros((n, cout, ho, wo))
    for i in range(ho):
        for j in range(wo):
            window = x[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3]))
    return out if b is None else out + b[None, :, None, None]


class ConvServiceTests(unittest.TestCase):
    service = ConvService(URL)

    def test_seed_convolution_in_float64_and_float32(self):
        for dtype in (np.float64, np.float32):
            output = self.service.conv2d(IMAGE.astype(dtype), KERNEL.astype(dtype))
            self.assertEqual(output.dtype, dtype)
            np.testing.assert_array_equal(output, [[109, 92, 72], [108, 85, 74], [110, 74, 79]])

    def test_seed_gradients(self):
        grads = self.service.conv2d_backward(IMAGE, KERNEL)
        np.testing.assert_array_equal(grads["grad_input"][1], [9, 17, 25, 16, 8])
        np.testing.assert_array_equal(grads["grad_weight"], [[30, 24, 19], [29, 21, 21], [30, 19, 21]])
        self.assertNotIn("grad_bias", grads)

    def test_seed_max_pool_of_the_answer(self):
        answer = self.service.conv2d(IMAGE, KERNEL)
        np.testing.assert_array_equal(self.service.pool("max", answer, kernel_size=2, stride=1), [[109, 92], [110, 85]])
        np.testing.assert_array_equal(self.service.pool_backward("max", answer, kernel_size=2, stride=1), [[1, 1, 0], [0, 1, 0], [1, 0, 0]])

    def test_batched_float32_matches_a_numpy_reference(self):
        rng = np.random.default_rng(7)
        x = rng.standard_normal((2, 3, 9, 8)).astype(np.float32)
        w = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
        b = rng.standard_normal(4).astype(np.float32)
        output = self.service.conv2d(x, w, b, stride=2, padding=1)
        np.testing.assert_allclose(output, reference_conv2d(x.astype(np.float64), w.astype(np.float64), b, stride=2, padding=1), rtol=1e-5, atol=1e-5)

    def test_per_axis_options_and_indices(self):
        x = np.arange(16, dtype=np.float64).reshape(1, 1, 4, 4)
        result = self.service.pool("max", x, kernel_size=(2, 2), stride=(2, 1), return_indices=True)
        np.testing.assert_array_equal(result["output"], [[[[5, 6, 7], [13, 14, 15]]]])
        self.assertEqual(result["indices"].dtype, np.int64)
        np.testing.assert_array_equal(result["indices"], [[[[5, 6, 7], [13, 14, 15]]]])

    def test_average_pool_matches_a_numpy_reference(self):
        x = np.random.default_rng(3).standard_normal((2, 3, 6, 6))
        expected = x.reshape(2, 3, 3, 2, 3, 2).mean(axis=(3, 5))
        np.testing.assert_allclose(self.service.pool("avg", x, kernel_size=2), expected, rtol=1e-12)

    def test_a_refused_request_says_why(self):
        with self.assertRaises(ConvServiceError) as refused:
            self.service.conv2d(IMAGE[:2, :2], KERNEL)
        self.assertEqual(refused.exception.status, 400)
        self.assertIn("weight", refused.exception.message)
        self.assertIn("larger than the padded input 2×2", refused.exception.message)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        ConvServiceTests.service = ConvService(sys.argv.pop(1))
    unittest.main(verbosity=2)
