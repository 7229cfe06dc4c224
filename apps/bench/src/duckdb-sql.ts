/**
 * The QSD301 aggregation written as an analyst would in SQL (DuckDB), over the generic CSV export
 * and the client register: approved lines delivered in 2023, credits netted, age class and wijk
 * on 30 June, unique clients and costs per wijk × age class × category. It takes the shortcuts an
 * analyst would: no pro-rata split, no exact rounding rule, the wijk of the register's row, and a
 * client with two register rows joined twice. A lower bound on the work, and not the same result
 * (`duckdbSameRules` is).
 */
export function duckdbSql(exportCsv: string, clientsCsv: string): string {
  return `
with lines as (
  select * from read_csv('${exportCsv}', delim=';', header=true, all_varchar=true)
  where status = 'goedgekeurd' and begindatum <= '2023-12-31' and einddatum >= '2023-01-01'
),
amounts as (
  select *, cast(replace(bedrag, ',', '.') as decimal(18,2)) * (case when debet_credit = 'C' then -1 else 1 end) as euros from lines
),
reversed as (
  select aanbieder, vorige_referentie as referentie from amounts where debet_credit = 'C' and vorige_referentie is not null
),
counted as (
  select a.*, (a.debet_credit = 'D' and r.referentie is null) as counts_client
  from amounts a left join reversed r on a.aanbieder = r.aanbieder and a.referentie = r.referentie
),
clients as (
  select bsn, cast(geboortedatum as date) as born, wijkcode from read_csv('${clientsCsv}', delim=';', header=true, all_varchar=true)
),
placed as (
  select c.*, k.wijkcode,
    case when date_diff('year', k.born, date '2023-06-30') - (case when strftime(k.born, '%m%d') > '0630' then 1 else 0 end) <= 17 then 1
         when date_diff('year', k.born, date '2023-06-30') - (case when strftime(k.born, '%m%d') > '0630' then 1 else 0 end) <= 64 then 2 else 3 end as age_class,
    case categorie when '01' then 'HH_Hulp' when '02' then 'BG' when '07' then 'DB'
      when '03' then 'OV_OND' when '04' then 'OV_OND' when '06' then 'OV_OND' when '09' then 'OV_OND' when '10' then 'OV_OND'
      when '05' then 'HULP_DNST' when '08' then 'HULP_DNST' when '11' then 'HULP_DNST' when '12' then 'HULP_DNST' when '13' then 'HULP_DNST' when '14' then 'HULP_DNST'
      else 'ONBEKEND' end as prodcat
  from counted c join clients k using (bsn)
  where c.categorie not in ('15', '16', '17', '18')
)
select wijkcode, age_class, prodcat, count(distinct case when counts_client then bsn end) as clients, round(sum(euros)) as euros
from placed group by grouping sets ((wijkcode, age_class, prodcat), (age_class, prodcat), (wijkcode, age_class), (age_class))
order by all`;
}

/**
 * The same aggregation with the rules of domain.md that the generated data touches, so that it
 * gives the toolkit's QSD301 numbers exactly (the bench compares them cell by cell): a reference
 * read once, credits netted against the debit they name (a credit without one not counted), a
 * client counted where a debit is not reversed in full, the share of each line inside 2023 by
 * days, the address on 30 June or else the closest one (ties as docs/decisions.md), no client
 * with two birth dates, and the euros of each cell rounded half up with the largest remainder
 * for the categories. Not covered, because the generated data has none of it: a product code
 * list, wijk codes outside the CBS list, BSNs that fail the 11-proef, status `gecrediteerd`.
 */
export function duckdbSameRules(exportCsv: string, clientsCsv: string): string {
  return `
with raw as (
  select * from read_csv('${exportCsv}', delim=';', header=true, all_varchar=true)
),
lines as (
  select aanbieder, referentie, vorige_referentie, bsn,
    case when length(categorie) = 1 then '0' || categorie else categorie end as categorie,
    lower(trim(debet_credit)) as dc, cast(begindatum as date) as b, cast(einddatum as date) as e,
    abs(cast(replace(bedrag, ',', '.') as decimal(18,2)) * 100) as cents
  from raw
  where lpad(gemeente, 4, '0') = '0405' and lower(trim(status)) in ('goedgekeurd', 'approved')
  qualify row_number() over (partition by aanbieder, referentie) = 1
),
debits as (select * from lines where dc = 'd'),
credits as (select c.* from lines c semi join debits d on c.aanbieder = d.aanbieder and c.vorige_referentie = d.referentie where c.dc = 'c'),
credit_sums as (
  select aanbieder, vorige_referentie as referentie, sum(cents) as credited from credits group by all
),
shares as (
  select d.bsn, d.categorie, d.b, d.e, d.cents as cents, (cs.credited is null or d.cents - cs.credited > 0) as counts
  from debits d left join credit_sums cs using (aanbieder, referentie)
  union all
  select bsn, categorie, b, e, -cents, false from credits
),
in_year as (
  select bsn, categorie,
    cents * (date_diff('day', greatest(b, date '2023-01-01'), least(e, date '2023-12-31')) + 1) / (date_diff('day', b, e) + 1) as share,
    counts,
    case
      when categorie in ('01') then 'HH_Hulp' when categorie in ('02') then 'BG' when categorie in ('07') then 'DB'
      when categorie in ('03', '04', '06', '09', '10') then 'OV_OND'
      when categorie in ('05', '08', '11', '12', '13', '14') then 'HULP_DNST'
      when categorie in ('15', '16', '17', '18') then 'excluded'
      when categorie between '40' and '54' and length(categorie) = 2 then 'not-wmo'
      else 'ONBEKEND' end as prodcat
  from shares
  where b <= date '2023-12-31' and e >= date '2023-01-01'
),
client_slots as (
  select bsn, prodcat, sum(share) as share, bool_or(counts) as counted from in_year where prodcat not in ('excluded', 'not-wmo') group by all
),
register as (
  select bsn, nullif(geboortedatum, '') as born, cast(adres_begindatum as date) as s,
    coalesce(cast(nullif(adres_einddatum, '') as date), date '9999-12-31') as t, lpad(gemeentecode, 4, '0') as gemeente, nullif(wijkcode, '') as wijkcode
  from read_csv('${clientsCsv}', delim=';', header=true, all_varchar=true)
),
births as (
  select bsn, count(distinct born) as dates, cast(min(born) as date) as born from register group by bsn
),
addresses as (
  select bsn, wijkcode, s,
    case when s <= date '2023-06-30' and t >= date '2023-06-30' then 0
         when t < date '2023-06-30' then date_diff('day', t, date '2023-06-30')
         else date_diff('day', date '2023-06-30', s) end as distance
  from register where gemeente = '0405' and t >= date '2023-01-01' and s <= date '2023-12-31'
),
wijken as (
  select bsn, wijkcode from addresses
  qualify row_number() over (partition by bsn order by distance, case when distance = 0 then -epoch(s) else epoch(s) end) = 1
),
placed as (
  select cs.*, w.wijkcode,
    case when date_diff('year', b.born, date '2023-06-30') - (case when strftime(b.born, '%m%d') > '0630' then 1 else 0 end) <= 17 then 1
         when date_diff('year', b.born, date '2023-06-30') - (case when strftime(b.born, '%m%d') > '0630' then 1 else 0 end) <= 64 then 2 else 3 end as age_class
  from client_slots cs join births b on cs.bsn = b.bsn and b.dates = 1 left join wijken w on cs.bsn = w.bsn
),
cells as (
  select coalesce(wijkcode, 'nvt') as wijk, age_class, prodcat, count(*) filter (where counted) as clients, sum(share) as share from placed where wijkcode is not null group by all
  union all
  select 'nvt', age_class, prodcat, count(*) filter (where counted), sum(share) from placed group by all
),
totals as (
  select coalesce(wijkcode, 'nvt') as wijk, age_class, count(distinct bsn) filter (where counted) as clients, floor(sum(share) / 100 + 0.5) as euros from placed where wijkcode is not null group by all
  union all
  select 'nvt', age_class, count(distinct bsn) filter (where counted), floor(sum(share) / 100 + 0.5) from placed group by all
),
floors as (
  select c.*, floor(c.share / 100) as floor_euros, c.share - floor(c.share / 100) * 100 as remainder,
    t.euros - sum(floor(c.share / 100)) over (partition by c.wijk, c.age_class) as missing,
    row_number() over (partition by c.wijk, c.age_class order by c.share - floor(c.share / 100) * 100 desc,
      list_position(['HH_Hulp', 'BG', 'DB', 'OV_OND', 'HULP_DNST', 'ONBEKEND'], c.prodcat)) as place
  from cells c join totals t using (wijk, age_class)
)
select wijk, age_class, prodcat, clients, cast(floor_euros + (case when place <= missing then 1 else 0 end) as bigint) as euros from floors
union all
select wijk, age_class, 'Wmo_tot', clients, cast(euros as bigint) from totals
order by all`;
}
