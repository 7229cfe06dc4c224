/**
 * The QSD301 aggregation written as an analyst would in SQL (DuckDB), over the generic CSV export
 * and the client register: approved lines delivered in 2023, credits netted, age class and wijk
 * on 30 June, unique clients and costs per wijk × age class × category. It takes the same
 * shortcuts an analyst would (no pro-rata split — the generated lines never cross a year — and no
 * exact rounding rule), so it is a lower bound on the work, not an equal result.
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
