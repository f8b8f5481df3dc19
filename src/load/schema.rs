//! Enforcing the schema `ties.toml` declares: its names against the data's, then every row
//! against its rules. Runs once the data has loaded without errors, so kinds and endpoints are
//! known.

use rayon::prelude::*;

use crate::load::diag::Diagnostic;
use crate::model::entity::{Catalog, Entity, Relation};
use crate::model::schema::{Schema, TypeRule};
use crate::model::similar::nearest;
use crate::model::value::{ColumnType, ScalarType};

/// Checks `schema` against the loaded data: returns the errors, and adds to `warnings` what
/// does not stop the load (a declared type no relation uses).
pub(super) fn enforce(
    schema: &Schema,
    config_path: &str,
    catalog: &Catalog,
    entities: &[Entity],
    relations: &[Vec<(u32, u32, Relation)>],
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    if schema.is_empty() {
        return errors;
    }
    let kinds = KindRules::new(schema, config_path, catalog, &mut errors);
    let types = TypeRules::new(schema, config_path, catalog, &mut errors, warnings);
    if !errors.is_empty() {
        // The rules themselves are wrong: checking rows against them would only repeat that.
        return errors;
    }
    errors.extend(kinds.check_headers(catalog));
    errors.extend(types.check_headers(catalog, relations));
    errors.par_extend(
        entities
            .par_iter()
            .flat_map_iter(|entity| kinds.check(catalog, entity)),
    );
    errors.par_extend(relations.par_iter().flat_map(|rows| {
        rows.par_iter().flat_map_iter(|(from, to, relation)| {
            let (from, to) = (&entities[*from as usize], &entities[*to as usize]);
            types.check(catalog, (from, to), relation)
        })
    }));
    errors
}

/// The message tail that names a near miss, or nothing.
fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    nearest(name, candidates).map_or_else(String::new, |near| format!(" (did you mean `{near}`?)"))
}

/// `[schema.kinds]` resolved against the catalog: required columns per kind id.
struct KindRules<'s> {
    config_path: &'s str,
    /// Per kind: (the rule's line, required column names).
    required: Vec<Option<(u64, &'s [String])>>,
}

impl<'s> KindRules<'s> {
    fn new(
        schema: &'s Schema,
        config_path: &'s str,
        catalog: &Catalog,
        errors: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut required = vec![None; catalog.kinds.len()];
        for (kind, rule) in &schema.kinds {
            let Some(k) = catalog.kinds.iter().position(|known| known == kind) else {
                errors.push(Diagnostic::line(
                    config_path,
                    rule.line,
                    format!(
                        "schema: kind `{kind}` has no entity file{}",
                        did_you_mean(kind, catalog.kinds.iter().map(String::as_str))
                    ),
                ));
                continue;
            };
            required[k] = Some((rule.line, rule.required.as_slice()));
            if let Some((born, died)) = &rule.lifetime {
                for column in [born, died] {
                    lifetime_column(catalog, (kind, k), column, (config_path, rule.line), errors);
                }
            }
        }
        KindRules {
            config_path,
            required,
        }
    }

    /// A required column missing from a kind's header is one error at the header.
    fn check_headers(&self, catalog: &Catalog) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        for (kind, rule) in self.required.iter().enumerate() {
            let Some((line, required)) = rule else {
                continue;
            };
            let file = catalog.kind_file(kind);
            for column in *required {
                if column != "name" && !file.columns.contains(column) {
                    errors.push(missing_column(file, column, (self.config_path, *line)));
                }
            }
        }
        errors
    }

    fn check(&self, catalog: &Catalog, entity: &Entity) -> Vec<Diagnostic> {
        let Some((line, required)) = self.required[usize::from(entity.kind)] else {
            return Vec::new();
        };
        let file = &catalog.files[usize::from(entity.origin.file)];
        required
            .iter()
            .filter(|column| {
                let filled = if column.as_str() == "name" {
                    entity.name.is_some()
                } else {
                    catalog.entity_attr(entity, column).is_some()
                };
                !filled && (column.as_str() == "name" || file.columns.contains(column))
            })
            .map(|column| {
                Diagnostic::line(
                    &file.path,
                    u64::from(entity.origin.line),
                    format!(
                        "`{column}` is empty; {}:{line} requires it for {}",
                        self.config_path,
                        catalog.kind_name(entity.kind)
                    ),
                )
            })
            .collect()
    }
}

/// Checks that a declared lifetime column exists in the kind's file and holds dates.
fn lifetime_column(
    catalog: &Catalog,
    (kind, k): (&str, usize),
    column: &str,
    (config_path, line): (&str, u64),
    errors: &mut Vec<Diagnostic>,
) {
    let file = catalog.kind_file(k);
    if !file.columns.iter().any(|c| c == column) {
        errors.push(Diagnostic::line(
            config_path,
            line,
            format!(
                "schema: kind `{kind}`: lifetime column `{column}` is not in {}{}",
                file.path,
                did_you_mean(column, file.columns.iter().map(String::as_str))
            ),
        ));
        return;
    }
    let date = ColumnType::scalar(ScalarType::Date);
    let typed = catalog
        .entity_attrs
        .iter()
        .find(|def| def.name == column)
        .map(|def| def.column_type);
    if typed != Some(date) {
        errors.push(Diagnostic::line(
            config_path,
            line,
            format!(
                "schema: kind `{kind}`: lifetime column `{column}` is not a date (write \
                 `{column}:date` in the header of {})",
                file.path
            ),
        ));
    }
}

fn missing_column(
    file: &crate::model::entity::SourceFile,
    column: &str,
    (config_path, line): (&str, u64),
) -> Diagnostic {
    Diagnostic::line(
        &file.path,
        1,
        format!(
            "no column `{column}`, which {config_path}:{line} requires; the header has {}{}",
            file.columns.join(","),
            did_you_mean(column, file.columns.iter().map(String::as_str))
        ),
    )
}

/// `[schema.types]` resolved against the catalog, per relation type id.
struct TypeRules<'s> {
    config_path: &'s str,
    rules: Vec<Option<ResolvedType<'s>>>,
}

struct ResolvedType<'s> {
    rule: &'s TypeRule,
    /// Allowed `from` kinds by kind id, `None` when any kind may be.
    from: Option<Vec<bool>>,
    to: Option<Vec<bool>>,
}

impl<'s> TypeRules<'s> {
    fn new(
        schema: &'s Schema,
        config_path: &'s str,
        catalog: &Catalog,
        errors: &mut Vec<Diagnostic>,
        warnings: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut rules: Vec<Option<ResolvedType>> =
            (0..catalog.rel_types.len()).map(|_| None).collect();
        for (rel_type, rule) in &schema.types {
            let mut kinds = |side: &str, names: &[String]| -> Option<Vec<bool>> {
                if names.is_empty() {
                    return None;
                }
                let mut allowed = vec![false; catalog.kinds.len()];
                for name in names {
                    match catalog.kinds.iter().position(|k| k == name) {
                        Some(k) => allowed[k] = true,
                        None => errors.push(Diagnostic::line(
                            config_path,
                            rule.line,
                            format!(
                                "schema: type `{rel_type}`: {side}: no entity file for kind \
                                 `{name}`{}",
                                did_you_mean(name, catalog.kinds.iter().map(String::as_str))
                            ),
                        )),
                    }
                }
                Some(allowed)
            };
            let from = kinds("from", &rule.from);
            let to = kinds("to", &rule.to);
            match catalog.rel_types.iter().position(|t| t == rel_type) {
                Some(t) => rules[t] = Some(ResolvedType { rule, from, to }),
                None => warnings.push(Diagnostic::line(
                    config_path,
                    rule.line,
                    format!(
                        "schema: no relation has type `{rel_type}`{}",
                        did_you_mean(rel_type, catalog.rel_types.iter().map(String::as_str))
                    ),
                )),
            }
        }
        TypeRules { config_path, rules }
    }

    /// A required attribute column missing from a file that holds the type is one error at
    /// that file's header.
    fn check_headers(
        &self,
        catalog: &Catalog,
        relations: &[Vec<(u32, u32, Relation)>],
    ) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        for rows in relations {
            let Some((_, _, first)) = rows.first() else {
                continue;
            };
            let file = &catalog.files[usize::from(first.origin().file)];
            let mut seen = vec![false; self.rules.len()];
            for (_, _, relation) in rows {
                let t = usize::from(relation.rel_type);
                if std::mem::replace(&mut seen[t], true) {
                    continue;
                }
                let Some(resolved) = &self.rules[t] else {
                    continue;
                };
                for column in &resolved.rule.required {
                    if !file.columns.contains(column) {
                        errors.push(missing_column(
                            file,
                            column,
                            (self.config_path, resolved.rule.line),
                        ));
                    }
                }
            }
        }
        errors
    }

    fn check(
        &self,
        catalog: &Catalog,
        (from, to): (&Entity, &Entity),
        relation: &Relation,
    ) -> Vec<Diagnostic> {
        let Some(resolved) = &self.rules[usize::from(relation.rel_type)] else {
            return Vec::new();
        };
        let origin = relation.origin();
        let file = &catalog.files[usize::from(origin.file)];
        let rel_type = catalog.rel_type_name(relation.rel_type);
        let at = |message: String| Diagnostic::line(&file.path, u64::from(origin.line), message);
        let rule = resolved.rule;
        let mut errors = Vec::new();
        for (side, allowed, entity, names) in [
            ("from", &resolved.from, from, &rule.from),
            ("to", &resolved.to, to, &rule.to),
        ] {
            if let Some(allowed) = allowed
                && !allowed[usize::from(entity.kind)]
            {
                errors.push(at(format!(
                    "`{rel_type}` {side} `{}`, one of {}; {}:{} allows {side} {} only",
                    catalog.entity_id(entity),
                    catalog.kind_name(entity.kind),
                    self.config_path,
                    rule.line,
                    names.join(", ")
                )));
            }
        }
        for column in &rule.required {
            let filled = match column.as_str() {
                "start" => relation.start.is_some(),
                "end" => relation.end.is_some(),
                "weight" => relation.weight().is_some(),
                name => catalog.relation_attr(relation, name).is_some(),
            };
            // A column the header lacks was reported once, at the header.
            if !filled && file.columns.contains(column) {
                errors.push(at(format!(
                    "`{column}` is empty; {}:{} requires it for `{rel_type}`",
                    self.config_path, rule.line
                )));
            }
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use crate::load::load_texts;
    use crate::model::schema::Timing;

    fn errors(entities: &[(&str, &str)], relations: &str, toml: &str) -> Vec<String> {
        match load_texts(entities, &[("r", relations)], Some(toml)) {
            Ok(_) => Vec::new(),
            Err(err) => err.diagnostics.iter().map(ToString::to_string).collect(),
        }
    }

    const PEOPLE: (&str, &str) = ("people", "id,name,born:date\nada,Ada,1815\nbob,,\n");
    const CITIES: (&str, &str) = ("cities", "id,name\nlondon,London\n");

    #[test]
    fn rows_that_break_the_schema_are_errors_at_their_line() {
        let relations = "from,type,to,start,source\nada,visited,london,1830,diary\n\
                         london,visited,ada,1831,x\nbob,visited,london,,\n";
        let toml = "[schema.kinds.people]\nrequired = [\"name\"]\n\n\
                    [schema.types.visited]\nfrom = [\"people\"]\nto = [\"cities\"]\n\
                    required = [\"start\", \"source\"]\ntime = \"event\"\n";
        assert_eq!(
            errors(&[PEOPLE, CITIES], relations, toml),
            [
                "entities/people.csv:3: `name` is empty; ties.toml:1 requires it for people",
                "relations/r.csv:3: `visited` from `london`, one of cities; ties.toml:4 allows \
                 from people only",
                "relations/r.csv:3: `visited` to `ada`, one of people; ties.toml:4 allows to \
                 cities only",
                "relations/r.csv:4: `start` is empty; ties.toml:4 requires it for `visited`",
                "relations/r.csv:4: `source` is empty; ties.toml:4 requires it for `visited`",
            ]
        );
    }

    #[test]
    fn a_required_column_missing_from_a_header_is_one_error() {
        let relations = "from,type,to\nada,visited,london\nbob,visited,london\n";
        let toml = "[schema.types.visited]\nrequired = [\"source\"]\n\
                    [schema.kinds.people]\nrequired = [\"title\"]\n";
        assert_eq!(
            errors(&[PEOPLE, CITIES], relations, toml),
            [
                "entities/people.csv:1: no column `title`, which ties.toml:3 requires; the \
                 header has id,name,born",
                "relations/r.csv:1: no column `source`, which ties.toml:1 requires; the header \
                 has from,type,to",
            ]
        );
    }

    #[test]
    fn names_the_data_lacks_are_errors_with_a_suggestion() {
        let relations = "from,type,to\nada,visited,london\n";
        let toml = "[schema.types.visited]\nfrom = [\"peple\"]\n\
                    [schema.kinds.citie]\nrequired = [\"name\"]\n\
                    [schema.kinds.people]\nlifetime = [\"bron\", \"name\"]\n";
        assert_eq!(
            errors(&[PEOPLE, CITIES], relations, toml),
            [
                "ties.toml:1: schema: type `visited`: from: no entity file for kind `peple` \
                 (did you mean `people`?)",
                "ties.toml:3: schema: kind `citie` has no entity file (did you mean `cities`?)",
                "ties.toml:5: schema: kind `people`: lifetime column `bron` is not in \
                 entities/people.csv (did you mean `born`?)",
                "ties.toml:5: schema: kind `people`: lifetime column `name` is not a date \
                 (write `name:date` in the header of entities/people.csv)",
            ]
        );
    }

    #[test]
    fn data_that_fits_loads_and_types_get_their_timing() {
        let relations = "from,type,to,start\nada,visited,london,1830\nada,lived_in,london,1830\n";
        let toml = "[schema.types.visited]\ntime = \"event\"\n[schema.types.met]\n";
        let dataset = load_texts(&[PEOPLE, CITIES], &[("r", relations)], Some(toml)).unwrap();
        let warnings: Vec<String> = dataset.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            ["ties.toml:3: schema: no relation has type `met`"]
        );
        assert_eq!(dataset.catalog.timings.0, [Timing::Event, Timing::State]);
    }
}
