#include "features/real_fft.h"

#include <kiss_fft.h>
#include <kiss_fftr.h>

#include <vector>

namespace itap {

struct RealFft::Impl {
    int n = 0;
    kiss_fftr_cfg real = nullptr;    // even n
    kiss_fft_cfg complex = nullptr;  // odd n: kiss_fftr needs an even length
    std::vector<kiss_fft_cpx> in;
    std::vector<kiss_fft_cpx> out;

    ~Impl() {
        if (real)
            kiss_fftr_free(real);
        if (complex)
            kiss_fft_free(complex);
    }
};

RealFft::RealFft(int n) : d_(std::make_unique<Impl>()) {
    d_->n = n;
    if (n % 2 == 0) {
        d_->real = kiss_fftr_alloc(n, 0, nullptr, nullptr);
        d_->out.resize(static_cast<std::size_t>(n / 2 + 1));
    } else {
        d_->complex = kiss_fft_alloc(n, 0, nullptr, nullptr);
        d_->in.resize(static_cast<std::size_t>(n));
        d_->out.resize(static_cast<std::size_t>(n));
    }
}

RealFft::~RealFft() = default;
RealFft::RealFft(RealFft&&) noexcept = default;
RealFft& RealFft::operator=(RealFft&&) noexcept = default;

int RealFft::size() const {
    return d_->n;
}

void RealFft::forward(const float* in, double* re, double* im) {
    const int n = d_->n;
    if (d_->real) {
        kiss_fftr(d_->real, in, d_->out.data());
    } else {
        for (int j = 0; j < n; ++j) d_->in[static_cast<std::size_t>(j)] = kiss_fft_cpx{in[j], 0.0f};
        kiss_fft(d_->complex, d_->in.data(), d_->out.data());
    }
    for (int k = 0; k <= n / 2; ++k) {
        re[k] = d_->out[static_cast<std::size_t>(k)].r;
        im[k] = d_->out[static_cast<std::size_t>(k)].i;
    }
}

}  // namespace itap
