// libFuzzer target: the model file (`itap score --model`): AnomalyModel::load's parsing (fromBytes), then
// scoring with what loaded. The input is the file's bytes.
//
// The file ends in a SHA-256 of everything before it, which random mutations almost never keep valid. So each
// input is parsed twice: as it is (the checksum and framing checks), and with its last 32 bytes replaced by
// the right checksum (everything behind the checksum). Corpus files are real model files.

#include "fuzz_support.h"

#include "model/anomaly_model.h"

#include <QCryptographicHash>

#include <cmath>

using namespace itap;

namespace {

constexpr qsizetype kChecksumBytes = 32;

void parseAndUse(const QByteArray& bytes, const QString& source) {
    auto model = AnomalyModel::fromBytes(bytes, source);
    if (!model) {
        ITAP_FUZZ_CHECK_ERROR(model.error(), source);
        return;
    }
    const int cols = model->featureCount();
    ITAP_FUZZ_CHECK(cols > 0);
    ITAP_FUZZ_CHECK(model->featureNames().size() == static_cast<std::size_t>(cols));
    model->setScoringThreads(1);

    // Score a few rows as `itap score` would: ordinary values, missing values, and a row of huge values.
    FeatureMatrix rows;
    rows.cols = cols;
    rows.data.assign(static_cast<std::size_t>(cols) * 3, 0.0F);
    for (int c = 0; c < cols; ++c) {
        rows.data[static_cast<std::size_t>(cols + c)] = std::nanf("");
        rows.data[static_cast<std::size_t>(2 * cols + c)] = 3e38F;
    }
    const std::vector<OpState> states = {OpState::Run, OpState::Idle, OpState::Maint};
    std::vector<float> scores(3);
    model->score(QStringLiteral("DEV-0001"), rows, states, scores.data());
    for (float s : scores) ITAP_FUZZ_CHECK(std::isnan(s) || (s >= 0.0F && s <= 1.0F));

    // What loaded writes back to a file that loads again.
    auto again = AnomalyModel::fromBytes(model->toBytes(), source);
    ITAP_FUZZ_CHECK(again.ok());
    ITAP_FUZZ_CHECK(again->featureCount() == cols);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QString source = QStringLiteral("model.itapmodel");
    const QByteArray input = fuzz::bytesOf(data, size);
    parseAndUse(input, source);

    if (input.size() > kChecksumBytes) {
        QByteArray fixed = input.left(input.size() - kChecksumBytes);
        fixed.append(QCryptographicHash::hash(fixed, QCryptographicHash::Sha256));
        if (fixed != input)
            parseAndUse(fixed, source);
    }
    return 0;
}
