//! Tokenizer and recursive-descent parser for conditions.

use super::{CompareOp, Expr, Field, Literal, Spanned};

/// A condition that could not be parsed, with the column (1-based, in characters) where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at column {column}: {message}")]
pub struct ParseError {
    /// Column of the offending character or token.
    pub column: usize,
    /// Whether the problem is a field name that does not exist (rather than the syntax).
    pub unknown_field: bool,
    /// What is wrong.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Number(f64),
    Quoted(String),
    Op(CompareOp),
    LBracket,
    RBracket,
    LParen,
    RParen,
    Comma,
    End,
}

/// Whether `c` begins a word (a field, a keyword, a name): a letter or `_`. Letters beyond
/// ASCII count as letters without asking Unicode's tables (`extra.größe`), which would be
/// ~4 KB of every shop page's WebAssembly for names that are ASCII anyway (ids are).
fn starts_word(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || (!c.is_ascii() && !c.is_whitespace())
}

/// Whether `c` continues a word: also digits, `-` and `.` (`answers.nps`, `extra.plan-b`).
fn continues_word(c: char) -> bool {
    starts_word(c) || c.is_ascii_digit() || matches!(c, '-' | '.')
}

/// Powers of ten that a double holds exactly.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The value of a number literal (`-`, digits, at most one `.`, as the tokenizer cuts it;
/// leading zeros and a trailing point allowed). Up to 15 significant digits and 22 after the
/// point it is the correctly rounded value, the one a JSON parser gives the same number in the
/// context: the digits as a whole number divided by a power of ten, both exact, rounded once.
/// Longer literals are read to within a few units of the last place. Core's
/// `str::parse::<f64>` would be exact always, but adds its table of powers of five (~10 KB of
/// every shop page's WebAssembly).
fn number(text: &str) -> Option<f64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() {
        return None;
    }
    // The digits as one whole number, then divided by ten for each one after the point.
    let mut value = 0.0_f64;
    for b in whole.bytes().chain(fraction.bytes()) {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10.0 + f64::from(b - b'0');
    }
    let mut scale = fraction.len();
    while scale > 0 {
        let step = scale.min(EXACT_POWERS_OF_TEN.len() - 1);
        value /= EXACT_POWERS_OF_TEN[step];
        scale -= step;
    }
    Some(if negative { -value } else { value })
}

fn describe(token: &Token) -> String {
    match token {
        Token::Word(w) => {
            let keywords = ["and", "or", "not", "in", "contains", "true", "false"];
            match keywords
                .iter()
                .find(|k| k.eq_ignore_ascii_case(w) && **k != w.as_str())
            {
                Some(keyword) => format!("`{w}` (keywords are lowercase: `{keyword}`)"),
                None => format!("`{w}`"),
            }
        }
        Token::Number(n) => format!("the number {n}"),
        Token::Quoted(s) => format!("the text \"{s}\""),
        Token::Op(_) => "an operator".into(),
        Token::LBracket => "`[`".into(),
        Token::RBracket => "`]`".into(),
        Token::LParen => "`(`".into(),
        Token::RParen => "`)`".into(),
        Token::Comma => "`,`".into(),
        Token::End => "the end of the condition".into(),
    }
}

fn error(column: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        column,
        unknown_field: false,
        message: message.into(),
    }
}

fn tokenize(source: &str) -> Result<Vec<Spanned<Token>>, ParseError> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        let next = chars.get(i + 1).copied();
        let (token, width) = match c {
            _ if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '[' => (Token::LBracket, 1),
            ']' => (Token::RBracket, 1),
            '(' => (Token::LParen, 1),
            ')' => (Token::RParen, 1),
            ',' => (Token::Comma, 1),
            '=' if next == Some('=') => (Token::Op(CompareOp::Eq), 2),
            '!' if next == Some('=') => (Token::Op(CompareOp::Ne), 2),
            '<' if next == Some('=') => (Token::Op(CompareOp::Le), 2),
            '>' if next == Some('=') => (Token::Op(CompareOp::Ge), 2),
            '<' => (Token::Op(CompareOp::Lt), 1),
            '>' => (Token::Op(CompareOp::Gt), 1),
            '=' => {
                return Err(error(
                    column,
                    "`=` is not an operator; write `==` to compare",
                ))
            }
            '"' | '\'' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&q| q == c)
                    .ok_or_else(|| error(column, "this quote is never closed"))?;
                let text: String = chars[i + 1..i + 1 + end].iter().collect();
                (Token::Quoted(text), end + 2)
            }
            _ if c.is_ascii_digit() || (c == '-' && next.is_some_and(|n| n.is_ascii_digit())) => {
                let len = 1 + chars[i + 1..]
                    .iter()
                    .take_while(|d| d.is_ascii_digit() || **d == '.')
                    .count();
                let text: String = chars[i..i + len].iter().collect();
                let number = number(&text)
                    .ok_or_else(|| error(column, format!("`{text}` is not a number")))?;
                (Token::Number(number), len)
            }
            _ if starts_word(c) => {
                let len = chars[i..]
                    .iter()
                    .take_while(|w| continues_word(**w))
                    .count();
                (Token::Word(chars[i..i + len].iter().collect()), len)
            }
            _ => return Err(error(column, format!("unexpected character `{c}`"))),
        };
        tokens.push(Spanned {
            value: token,
            column,
        });
        i += width;
    }
    tokens.push(Spanned {
        value: Token::End,
        column: chars.len() + 1,
    });
    Ok(tokens)
}

/// Parses a condition. Field names are resolved; whether they fit the survey (known steps,
/// types, options) is checked by validation.
///
/// # Errors
/// The first syntax error, with its column.
pub fn parse(source: &str) -> Result<Expr, ParseError> {
    let tokens = tokenize(source)?;
    let mut parser = Parser { tokens, at: 0 };
    if parser.peek() == &Token::End {
        return Err(error(1, "the condition is empty"));
    }
    let expr = parser.or(0)?;
    match parser.peek() {
        Token::End => Ok(expr),
        other => Err(error(
            parser.column(),
            format!("expected `and`, `or` or the end, found {}", describe(other)),
        )),
    }
}

struct Parser {
    tokens: Vec<Spanned<Token>>,
    at: usize,
}

const MAX_DEPTH: usize = 64;

impl Parser {
    fn peek(&self) -> &Token {
        self.tokens.get(self.at).map_or(&Token::End, |t| &t.value)
    }

    fn column(&self) -> usize {
        self.tokens.get(self.at).map_or(0, |t| t.column)
    }

    fn bump(&mut self) -> Spanned<Token> {
        let token = self.tokens.get(self.at).cloned().unwrap_or(Spanned {
            value: Token::End,
            column: 0,
        });
        if self.at < self.tokens.len() {
            self.at += 1;
        }
        token
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Token::Word(w) if w == word)
    }

    fn or(&mut self, depth: usize) -> Result<Expr, ParseError> {
        let mut items = vec![self.and(depth)?];
        while self.is_word("or") {
            self.bump();
            items.push(self.and(depth)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::Or(items)
        })
    }

    fn and(&mut self, depth: usize) -> Result<Expr, ParseError> {
        let mut items = vec![self.unary(depth)?];
        while self.is_word("and") {
            self.bump();
            items.push(self.unary(depth)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::And(items)
        })
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, ParseError> {
        if depth > MAX_DEPTH {
            return Err(error(self.column(), "the condition is nested too deeply"));
        }
        if self.is_word("not") {
            self.bump();
            return Ok(Expr::Not(Box::new(self.unary(depth + 1)?)));
        }
        if self.peek() == &Token::LParen {
            self.bump();
            let inner = self.or(depth + 1)?;
            let close = self.bump();
            return match close.value {
                Token::RParen => Ok(inner),
                other => Err(error(
                    close.column,
                    format!("expected `)`, found {}", describe(&other)),
                )),
            };
        }
        self.test()
    }

    fn test(&mut self) -> Result<Expr, ParseError> {
        let token = self.bump();
        let name = match token.value {
            Token::Word(ref w) if w == "true" => return Ok(Expr::Const(true)),
            Token::Word(ref w) if w == "false" => return Ok(Expr::Const(false)),
            Token::Word(w) => w,
            other => {
                return Err(error(
                    token.column,
                    format!(
                        "expected a field such as `order.total`, found {}",
                        describe(&other)
                    ),
                ))
            }
        };
        let field = Field::from_name(&name).ok_or_else(|| ParseError {
            unknown_field: true,
            ..error(
                token.column,
                format!(
                    "unknown field `{name}`; known fields are {}, answers.<step id> and extra.<name>",
                    Field::NAMES.join(", ")
                ),
            )
        })?;
        let field = Spanned {
            value: field,
            column: token.column,
        };
        match self.peek().clone() {
            Token::Op(op) => {
                self.bump();
                let value = self.literal()?;
                Ok(Expr::Compare { field, op, value })
            }
            Token::Word(w) if w == "in" => {
                self.bump();
                let values = self.list()?;
                Ok(Expr::In {
                    field,
                    values,
                    negated: false,
                })
            }
            Token::Word(w) if w == "not" => {
                self.bump();
                if !self.is_word("in") {
                    return Err(error(self.column(), "expected `in` after `not`"));
                }
                self.bump();
                let values = self.list()?;
                Ok(Expr::In {
                    field,
                    values,
                    negated: true,
                })
            }
            Token::Word(w) if w == "contains" => {
                self.bump();
                let value = self.literal()?;
                Ok(Expr::Contains { field, value })
            }
            _ => Ok(Expr::Truthy(field)),
        }
    }

    fn literal(&mut self) -> Result<Spanned<Literal>, ParseError> {
        let token = self.bump();
        let value = match token.value {
            Token::Number(n) => Literal::Number(n),
            Token::Quoted(s) => Literal::Text(s),
            Token::Word(w) if w == "true" => Literal::Bool(true),
            Token::Word(w) if w == "false" => Literal::Bool(false),
            Token::Word(w) if w.contains('.') => {
                return Err(error(
                    token.column,
                    format!("compare with a value, not with the field `{w}`"),
                ))
            }
            Token::Word(w) => Literal::Text(w),
            other => {
                return Err(error(
                    token.column,
                    format!("expected a value, found {}", describe(&other)),
                ))
            }
        };
        Ok(Spanned {
            value,
            column: token.column,
        })
    }

    fn list(&mut self) -> Result<Vec<Spanned<Literal>>, ParseError> {
        let open = self.bump();
        if open.value != Token::LBracket {
            return Err(error(
                open.column,
                format!(
                    "expected `[` to start a list, found {}",
                    describe(&open.value)
                ),
            ));
        }
        let mut values = Vec::new();
        if self.peek() == &Token::RBracket {
            return Err(error(self.column(), "the list is empty"));
        }
        loop {
            values.push(self.literal()?);
            let sep = self.bump();
            match sep.value {
                Token::Comma => continue,
                Token::RBracket => return Ok(values),
                other => {
                    return Err(error(
                        sep.column,
                        format!("expected `,` or `]`, found {}", describe(&other)),
                    ))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_examples() {
        for source in [
            "relationship in [best_friends, fling] and answers.nps <= 6",
            "order.total >= 500",
            "customer.first_purchase",
            "not (price_band == low or price_band == 'mid') and extra.vip == true",
            "answers.topics contains delivery",
            "relationship not in [fling]",
            "order.total > -1.5",
        ] {
            assert!(parse(source).is_ok(), "{source}: {:?}", parse(source));
        }
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let expr = parse("channel == a or channel == b and locale == de").ok();
        assert!(matches!(expr, Some(Expr::Or(ref items)) if items.len() == 2));
    }

    #[test]
    fn errors_name_the_column() {
        let err = parse("order.total >= 500 and ordr.total < 3").err();
        assert_eq!(err.map(|e| e.column), Some(24));
        let err = parse("relationship in [fling").err();
        assert_eq!(
            err.map(|e| e.to_string()),
            Some("at column 23: expected `,` or `]`, found the end of the condition".into())
        );
        let err = parse("order.total = 5").err();
        assert_eq!(err.map(|e| e.column), Some(13));
        assert!(parse("").is_err());
        assert!(parse("(channel == a").is_err());
        // Keywords written in capitals, as in SQL or Excel, say how to write them.
        let err = parse("channel == web AND locale == de").err();
        assert_eq!(
            err.map(|e| e.to_string()),
            Some(
                "at column 16: expected `and`, `or` or the end, found `AND` (keywords are lowercase: `and`)"
                    .into()
            )
        );
    }

    #[test]
    fn names_may_have_letters_beyond_ascii_and_other_signs_are_errors_at_their_column() {
        assert!(parse("extra.größe == 'XL' and extra.café").is_ok());
        let err = parse("order.total ≥ 500").err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("at column 13: expected `and`, `or` or the end, found `≥`")
        );
    }

    #[test]
    fn numbers_are_read_correctly_rounded_with_leading_zeros_and_a_trailing_point_allowed() {
        for (text, value) in [
            ("6", 6.0),
            ("-1.5", -1.5),
            ("653.9", 653.9),
            ("007", 7.0),
            ("0.25", 0.25),
            ("-0.5", -0.5),
            ("6.", 6.0),
            ("000", 0.0),
            ("0.1", 0.1),
            ("268435456.262", 268_435_456.262),
            ("999999999999999", 999_999_999_999_999.0),
            ("0.0000000000000000000001", 1e-22),
        ] {
            assert_eq!(number(text), Some(value), "{text}");
        }
        // Beyond 15 significant digits or 22 after the point: within a few units of the last
        // place.
        for text in [
            "18446744073709551616",
            "3.14159265358979323846",
            "1234567890.123456789",
            "0.000000000000000000000000001",
            "-1.0000000000000000000000000000000003",
        ] {
            let (got, exact) = (number(text), text.parse::<f64>().ok());
            assert!(
                got.zip(exact)
                    .is_some_and(|(g, e)| ((g - e) / e).abs() < 1e-15),
                "{text}: {got:?} vs {exact:?}"
            );
        }
        for text in ["1.2.3", "1..2", "-", "-.5", "1-2", "1e5"] {
            assert_eq!(number(text), None, "{text}");
        }
        let err = parse("order.total > 1.2.3").err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("at column 15: `1.2.3` is not a number")
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let source = format!("{}true{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&source).is_err());
        let source = format!("{}true", "not ".repeat(10_000));
        assert!(parse(&source).is_err());
    }
}
