//! The functions a query may call: one enum with each function's name, argument counts and
//! whether it aggregates.

use std::fmt;

/// Defines [`Function`]: each variant with its name and its argument counts, the one list
/// the parser, the executor and `docs/cypher.md` (checked by a test) share.
macro_rules! functions {
    ($($variant:ident $name:literal $min:literal..=$max:literal $aggregate:literal,)*) => {
        /// A function the subset knows, scalar or aggregate.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Function {
            $(
                #[doc = concat!("`", $name, "()`")]
                $variant,
            )*
        }

        impl Function {
            /// Every function, in the order of `docs/cypher.md`.
            pub const ALL: &[Function] = &[$(Function::$variant),*];

            /// Returns the name as queries write it (matched without case).
            #[must_use]
            pub fn name(self) -> &'static str {
                match self {
                    $(Function::$variant => $name,)*
                }
            }

            /// Returns how many arguments it takes, at least and at most.
            #[must_use]
            pub fn arity(self) -> (usize, usize) {
                match self {
                    $(Function::$variant => ($min, $max),)*
                }
            }

            /// Returns whether it aggregates the rows of a group.
            #[must_use]
            pub fn is_aggregate(self) -> bool {
                match self {
                    $(Function::$variant => $aggregate,)*
                }
            }
        }
    };
}

functions! {
    Id "id" 1..=1 false,
    Labels "labels" 1..=1 false,
    Type "type" 1..=1 false,
    StartNode "startNode" 1..=1 false,
    EndNode "endNode" 1..=1 false,
    Properties "properties" 1..=1 false,
    Keys "keys" 1..=1 false,
    Length "length" 1..=1 false,
    Nodes "nodes" 1..=1 false,
    Relationships "relationships" 1..=1 false,
    Coalesce "coalesce" 1..=64 false,
    ToString "toString" 1..=1 false,
    ToInteger "toInteger" 1..=1 false,
    ToFloat "toFloat" 1..=1 false,
    Size "size" 1..=1 false,
    Head "head" 1..=1 false,
    Last "last" 1..=1 false,
    ToLower "toLower" 1..=1 false,
    ToUpper "toUpper" 1..=1 false,
    Trim "trim" 1..=1 false,
    Substring "substring" 2..=3 false,
    Split "split" 2..=2 false,
    Abs "abs" 1..=1 false,
    Ceil "ceil" 1..=1 false,
    Floor "floor" 1..=1 false,
    Round "round" 1..=3 false,
    Sign "sign" 1..=1 false,
    Sqrt "sqrt" 1..=1 false,
    Exp "exp" 1..=1 false,
    Log "log" 1..=1 false,
    Log10 "log10" 1..=1 false,
    E "e" 0..=0 false,
    Pi "pi" 0..=0 false,
    Rand "rand" 0..=0 false,
    Left "left" 2..=2 false,
    Right "right" 2..=2 false,
    Replace "replace" 3..=3 false,
    LTrim "lTrim" 1..=1 false,
    RTrim "rTrim" 1..=1 false,
    ToBoolean "toBoolean" 1..=1 false,
    IsEmpty "isEmpty" 1..=1 false,
    IsNaN "isNaN" 1..=1 false,
    Sin "sin" 1..=1 false,
    Cos "cos" 1..=1 false,
    Tan "tan" 1..=1 false,
    Cot "cot" 1..=1 false,
    Asin "asin" 1..=1 false,
    Acos "acos" 1..=1 false,
    Atan "atan" 1..=1 false,
    Atan2 "atan2" 2..=2 false,
    Degrees "degrees" 1..=1 false,
    Radians "radians" 1..=1 false,
    Haversin "haversin" 1..=1 false,
    ToStringOrNull "toStringOrNull" 1..=1 false,
    ToIntegerOrNull "toIntegerOrNull" 1..=1 false,
    ToFloatOrNull "toFloatOrNull" 1..=1 false,
    ToBooleanOrNull "toBooleanOrNull" 1..=1 false,
    ToStringList "toStringList" 1..=1 false,
    ToIntegerList "toIntegerList" 1..=1 false,
    ToFloatList "toFloatList" 1..=1 false,
    ToBooleanList "toBooleanList" 1..=1 false,
    CharLength "char_length" 1..=1 false,
    CharacterLength "character_length" 1..=1 false,
    Lower "lower" 1..=1 false,
    Upper "upper" 1..=1 false,
    Range "range" 2..=3 false,
    Reverse "reverse" 1..=1 false,
    Tail "tail" 1..=1 false,
    Date "date" 1..=1 false,
    LocalTime "localtime" 1..=1 false,
    Time "time" 1..=1 false,
    LocalDateTime "localdatetime" 1..=1 false,
    DateTime "datetime" 1..=1 false,
    DateTruncate "date.truncate" 2..=2 false,
    Duration "duration" 1..=1 false,
    DurationBetween "duration.between" 2..=2 false,
    Count "count" 1..=1 true,
    Collect "collect" 1..=1 true,
    Sum "sum" 1..=1 true,
    Avg "avg" 1..=1 true,
    Min "min" 1..=1 true,
    Max "max" 1..=1 true,
    StDev "stDev" 1..=1 true,
    StDevP "stDevP" 1..=1 true,
    PercentileDisc "percentileDisc" 2..=2 true,
    PercentileCont "percentileCont" 2..=2 true,
}

impl Function {
    /// Whether this is an aggregate whose second argument is a share between 0 and 1.
    #[must_use]
    pub fn is_percentile(self) -> bool {
        matches!(self, Function::PercentileDisc | Function::PercentileCont)
    }

    /// Returns the function a query names, in any case (`TOSTRING`, `tostring`).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Function> {
        Function::ALL
            .iter()
            .copied()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
