#include "features/real_fft.h"

#include <QTest>

#include <cmath>
#include <complex>
#include <numbers>
#include <random>
#include <vector>

using namespace itap;

class RealFftTest : public QObject {
    Q_OBJECT
private slots:
    // Against a direct O(n²) DFT in double, for the kiss_fftr (even) and the complex (odd) paths.
    void matchesDirectDft_data() {
        QTest::addColumn<int>("n");
        for (int n : {2, 3, 4, 5, 6, 30, 31, 64, 97, 1000, 4096})
            QTest::newRow(qPrintable(QString::number(n))) << n;
    }
    void matchesDirectDft() {
        QFETCH(int, n);
        std::mt19937 rng(static_cast<unsigned>(n));
        std::normal_distribution<float> g(0.0f, 1.0f);
        std::vector<float> x(static_cast<std::size_t>(n));
        for (float& v : x) v = 3.0f + g(rng);
        RealFft fft(n);
        QCOMPARE(fft.size(), n);
        std::vector<double> re(static_cast<std::size_t>(n / 2 + 1)), im(re.size());
        fft.forward(x.data(), re.data(), im.data());
        double scale = 0;
        for (float v : x) scale += std::fabs(v);
        for (int k = 0; k <= n / 2; ++k) {
            std::complex<double> acc = 0;
            for (int j = 0; j < n; ++j)
                acc += double(x[static_cast<std::size_t>(j)]) *
                       std::polar(1.0, -2.0 * std::numbers::pi * j * k / n);
            const double err = std::abs(
                acc - std::complex<double>(re[static_cast<std::size_t>(k)], im[static_cast<std::size_t>(k)]));
            QVERIFY2(err <= 1e-5 * scale, qPrintable(QStringLiteral("bin %1 error %2").arg(k).arg(err)));
        }
    }

    // The plan is reusable: a second transform of other data does not depend on the first.
    void isReusable() {
        RealFft fft(30);
        std::vector<float> a(30, 1.0f), b(30, 0.0f);
        b[1] = 1.0f;
        std::vector<double> re(16), im(16), re2(16), im2(16);
        fft.forward(a.data(), re.data(), im.data());
        fft.forward(b.data(), re.data(), im.data());
        RealFft fresh(30);
        fresh.forward(b.data(), re2.data(), im2.data());
        QCOMPARE(re, re2);
        QCOMPARE(im, im2);
        RealFft moved = std::move(fresh);
        moved.forward(b.data(), re2.data(), im2.data());
        QCOMPARE(re, re2);
    }
};

QTEST_GUILESS_MAIN(RealFftTest)
#include "real_fft_test.moc"
