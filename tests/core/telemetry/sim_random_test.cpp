#include "telemetry/sim_random.h"

#include <QTest>

#include <cmath>
#include <set>

using namespace itap;

class SimRandomTest : public QObject {
    Q_OBJECT
private slots:
    void detmathMatchesLibm_data() {
        QTest::addColumn<QString>("fn");
        QTest::addColumn<double>("lo");
        QTest::addColumn<double>("hi");
        QTest::newRow("exp") << "exp" << -40.0 << 40.0;
        QTest::newRow("log small") << "log" << 1e-300 << 1e-3;
        QTest::newRow("log") << "log" << 1e-3 << 1e6;
        QTest::newRow("sin") << "sin" << -1000.0 << 1000.0;
        QTest::newRow("cos") << "cos" << -1000.0 << 1000.0;
    }
    void detmathMatchesLibm() {
        QFETCH(QString, fn);
        QFETCH(double, lo);
        QFETCH(double, hi);
        SimRandom rng(7, 0);
        for (int i = 0; i < 20000; ++i) {
            const double x = fn == u"log" && lo < 1e-200 ? std::exp(rng.uniform(std::log(lo), std::log(hi)))
                                                         : rng.uniform(lo, hi);
            double mine = 0, ref = 0;
            if (fn == u"exp") {
                mine = detmath::exp(x);
                ref = std::exp(x);
            } else if (fn == u"log") {
                mine = detmath::log(x);
                ref = std::log(x);
            } else if (fn == u"sin") {
                mine = detmath::sin(x);
                ref = std::sin(x);
            } else {
                mine = detmath::cos(x);
                ref = std::cos(x);
            }
            // Relative for exp/log; absolute for sin/cos (range reduction of |x| ~ 1e3 costs a few ulps of
            // x).
            const double tol = fn == u"exp" || fn == u"log" ? 1e-13 * std::max(1.0, std::abs(ref)) : 1e-12;
            if (std::abs(mine - ref) > tol)
                QFAIL(qPrintable(QStringLiteral("%1(%2) = %3, libm %4")
                                     .arg(fn)
                                     .arg(x, 0, 'g', 17)
                                     .arg(mine, 0, 'g', 17)
                                     .arg(ref, 0, 'g', 17)));
        }
    }

    void sameSeedSameStream() {
        SimRandom a(42, 3);
        SimRandom b(42, 3);
        for (int i = 0; i < 1000; ++i) QCOMPARE(a.next(), b.next());
    }

    void streamsDiffer_data() {
        QTest::addColumn<quint64>("seedB");
        QTest::addColumn<quint64>("streamB");
        QTest::newRow("other stream") << quint64(42) << quint64(4);
        QTest::newRow("other seed") << quint64(43) << quint64(3);
    }
    void streamsDiffer() {
        QFETCH(quint64, seedB);
        QFETCH(quint64, streamB);
        SimRandom a(42, 3);
        SimRandom b(seedB, streamB);
        int same = 0;
        for (int i = 0; i < 1000; ++i) same += a.next() == b.next();
        QCOMPARE(same, 0);
    }

    void normalHasUnitMoments() {
        SimRandom rng(1, 0);
        const int n = 200000;
        double sum = 0, sum2 = 0, sum4 = 0;
        int beyond3 = 0;
        for (int i = 0; i < n; ++i) {
            const double z = rng.normal();
            sum += z;
            sum2 += z * z;
            sum4 += z * z * z * z;
            beyond3 += std::abs(z) > 3;
        }
        const double m = sum / n;
        const double var = sum2 / n - m * m;
        QVERIFY2(std::abs(m) < 0.01, qPrintable(QString::number(m)));
        QVERIFY2(std::abs(var - 1) < 0.02, qPrintable(QString::number(var)));
        QVERIFY2(std::abs(sum4 / n - 3) < 0.1, qPrintable(QString::number(sum4 / n)));  // Gaussian kurtosis
        // P(|z| > 3) = 0.0027 for a true normal: 540 expected.
        QVERIFY2(beyond3 > 400 && beyond3 < 700, qPrintable(QString::number(beyond3)));
    }

    void exponentialHasItsMean() {
        SimRandom rng(2, 0);
        double sum = 0;
        for (int i = 0; i < 100000; ++i) {
            const double x = rng.exponential(5.0);
            QVERIFY(x >= 0);
            sum += x;
        }
        QVERIFY(std::abs(sum / 100000 - 5.0) < 0.1);
    }

    void integerStaysInBoundsAndCoversThem() {
        SimRandom rng(3, 0);
        std::set<long long> seen;
        for (int i = 0; i < 10000; ++i) {
            const long long v = rng.integer(-2, 4);
            QVERIFY(v >= -2 && v <= 4);
            seen.insert(v);
        }
        QCOMPARE(int(seen.size()), 7);
        for (int i = 0; i < 100; ++i) QCOMPARE(rng.integer(5, 5), 5LL);
    }
};

QTEST_GUILESS_MAIN(SimRandomTest)
#include "sim_random_test.moc"
