fn main() {
    for p in std::env::args().skip(1) {
        let s = std::fs::read_to_string(&p).unwrap();
        let (f, d) = perfspec::syntax::parse(&s);
        for x in &d {
            print!("{}", perfspec::diag::render_human(&p, &s, x, Default::default()));
        }
        let mut n = 0;
        for it in &f.items {
            if let perfspec::syntax::TopItem::Project(pr) = it {
                for i in &pr.items {
                    match i {
                        perfspec::syntax::ProjectItem::Indicator(ind) => { n += 1; println!("{} | {} | {:?} | {:?}", ind.category.value, ind.name.value, ind.op.as_ref().map(|o| o.value), ind.value.value); }
                        perfspec::syntax::ProjectItem::Error(e) => println!("ERR {}", e.text),
                        _ => {}
                    }
                }
            }
        }
        println!("{p}: {n} indicators");
    }
}
