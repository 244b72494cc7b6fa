// libFuzzer target: the JSON config loaders — sensor catalog (`--catalog`), simulation profile
// (`--profile`), and the feature config a model file carries (FeatureParams, at the top level and as the
// "features" member of the pipeline config). Every loader gets every input: each must reject what is not
// its own with a clear error. The input is the file's bytes. (The pipeline config's train_span is left out:
// linking core/pipeline would build the whole engine for one small parser.)

#include "fuzz_support.h"

#include "common/json_util.h"
#include "common/sensor_catalog.h"
#include "features/feature_params.h"
#include "telemetry/simulation_profile.h"

#include <nlohmann/json.hpp>

using namespace itap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QString path = QStringLiteral("config.json");
    // Each X::load(path) is readJsonFile(path) + X::fromJson(json, path); readJsonFile's depth guard and
    // syntax errors are parseJson's.
    auto j = parseJson(fuzz::bytesOf(data, size), path);
    if (!j) {
        ITAP_FUZZ_CHECK_ERROR(j.error(), path);
        return 0;
    }

    // A config that loads writes back (toJson) to one that loads to the same value.
    if (auto catalog = SensorCatalog::fromJson(*j, path)) {
        auto again = SensorCatalog::fromJson(catalog->toJson(), path);
        ITAP_FUZZ_CHECK(again.ok());
        ITAP_FUZZ_CHECK(again->hash() == catalog->hash());
        (void)toJsonBytes(catalog->toJson());
    } else {
        ITAP_FUZZ_CHECK_ERROR(catalog.error(), path);
    }

    if (auto profile = SimulationProfile::fromJson(*j, path)) {
        ITAP_FUZZ_CHECK(profile->validate().ok());
        auto again = SimulationProfile::fromJson(profile->toJson(), path);
        ITAP_FUZZ_CHECK(again.ok());
        ITAP_FUZZ_CHECK(*again == *profile);
    } else {
        ITAP_FUZZ_CHECK_ERROR(profile.error(), path);
    }

    if (auto features = FeatureParams::fromJson(*j, path)) {
        ITAP_FUZZ_CHECK(features->validate().ok());
        auto again = FeatureParams::fromJson(features->toJson(), path);
        ITAP_FUZZ_CHECK(again.ok() && *again == *features);
    } else {
        ITAP_FUZZ_CHECK_ERROR(features.error(), path);
    }

    if (j->is_object() && j->contains("features")) {
        if (auto features = FeatureParams::fromJson((*j)["features"], path))
            ITAP_FUZZ_CHECK(features->validate().ok());
        else
            ITAP_FUZZ_CHECK_ERROR(features.error(), path);
    }
    return 0;
}
