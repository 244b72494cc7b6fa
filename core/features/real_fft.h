#pragma once

#include <memory>

namespace itap {

/// Forward real FFT of a fixed length through KissFFT (kiss_fftr for even lengths, the complex
/// transform for odd ones). Owns its plan and scratch: not thread-safe, one per stream.
class RealFft {
public:
    /// `n` ≥ 2.
    explicit RealFft(int n);
    ~RealFft();
    RealFft(RealFft&&) noexcept;
    RealFft& operator=(RealFft&&) noexcept;

    [[nodiscard]] int size() const;
    /// Bins 0..n/2 of X_k = Σ x_j·e^(−2πi·jk/n) (numpy.fft.rfft's convention) into re[] and im[].
    void forward(const float* in, double* re, double* im);

private:
    struct Impl;
    std::unique_ptr<Impl> d_;
};

}  // namespace itap
