#include "core/RoutingState.h"

namespace dragoman::core {

std::string_view toString(QualityTag tag) {
    switch (tag) {
    case QualityTag::Silent:
        return "";
    case QualityTag::Floor:
        return "floor";
    case QualityTag::Plus:
        return "+";
    case QualityTag::Minus:
        return "\u2212";
    }
    return "?";
}

} // namespace dragoman::core
