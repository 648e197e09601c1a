// Broad subjects editors file stories under ("Economy", "Climate", "Health") that a story seldom
// names in so many words: a story about a rate decision says "inflation", "borrowing costs" and
// "the central bank", not "Economy". Each subject has the plain words (cues) that news about it
// uses; a story that uses several of them, several times, gets the subject suggested. The list is
// ours, written after the top two levels of the IPTC Media Topics that newsrooms share (a beat
// covered now and then, religion or aviation, belongs here as much as the economy); where the
// newsroom already has the subject under one of its usual names ("Public Health", "Labor"), the
// newsroom's name is the one suggested. English only, as the rest of the extractor.

export interface Subject {
  /** The name suggested when the newsroom has none of `also`. */
  name: string;
  /** Other names newsrooms give the same subject. */
  also?: readonly string[];
  /** Words and two-word phrases, lower case. */
  cues: readonly string[];
}

const list = (words: string) => words.split(',').map((w) => w.trim()).filter(Boolean);

export const SUBJECTS: readonly Subject[] = [
  { name: 'Economy', also: ['Economics', 'The Economy'], cues: list('economy, economic, economist, economists, gdp, recession, growth forecast, central bank, monetary, fiscal, tariff, tariffs, exports, imports, unemployment, jobless, stock market, investors, trade deficit') },
  { name: 'Inflation', cues: list('inflation, consumer prices, price index, cpi, deflation, prices rose, price increases') },
  { name: 'Cost of Living', also: ['Affordability'], cues: list('cost of living, groceries, grocery, food prices, bills, affordability, afford, household budgets, paycheque, paycheck, rent increases, energy bills') },
  { name: 'Interest Rates', cues: list('interest rate, interest rates, rate hike, rate cut, basis points, mortgage rates, borrowing costs, central bank, benchmark rate, key rate, policy rate, overnight rate, lending rate, rate decision, rate hikes, rate cuts, reserve bank, federal reserve') },
  { name: 'Labour', also: ['Labor', 'Jobs', 'Employment', 'Unions', 'Work'], cues: list('union, unions, strike, strikes, wages, wage, collective agreement, bargaining, employer, employers, layoffs, employees, minimum wage, picket, workforce') },
  { name: 'Housing', also: ['Real Estate', 'Homelessness'], cues: list('housing, rent, rental, rentals, tenants, tenant, landlord, landlords, mortgage, home prices, homelessness, affordable housing, apartments, homebuyers, housing starts') },
  { name: 'Health', also: ['Public Health', 'Health Care', 'Healthcare'], cues: list('health, public health, patients, doctors, nurses, outbreak, virus, disease, vaccine, clinic, clinics, infection, infections, medical, illness, symptoms') },
  { name: 'Hospitals', cues: list('hospital, hospitals, emergency room, emergency department, beds, wait times, surgery, surgeries, patients, nurses') },
  { name: 'Vaccines', also: ['Vaccination'], cues: list('vaccine, vaccines, vaccination, vaccinations, immunization, doses, booster, shots') },
  { name: 'Climate', also: ['Climate Change', 'Climate Crisis'], cues: list('climate, climate change, emissions, carbon, warming, greenhouse, fossil fuels, net zero, heat wave, heatwave, extreme weather, drought, sea levels') },
  { name: 'Environment', cues: list('environment, environmental, pollution, wildlife, conservation, species, habitat, biodiversity, contamination, ecosystem') },
  { name: 'Wildfires', also: ['Wildfire', 'Forest Fires'], cues: list('wildfire, wildfires, blaze, evacuation, evacuations, firefighters, smoke, burned, fire crews, evacuation order, fire season') },
  { name: 'Flooding', also: ['Floods'], cues: list('flood, floods, flooding, flooded, floodwaters, river, rainfall, storm surge, levee, dike, water levels, flood barrier') },
  { name: 'Disasters', also: ['Natural Disasters', 'Emergencies'], cues: list('earthquake, hurricane, tornado, disaster, emergency, damage, rescue, rescuers, evacuation, landslide, tsunami, state of emergency') },
  { name: 'Weather', cues: list('storm, snow, snowfall, rain, forecast, temperatures, winds, weather, freezing, meteorologist') },
  { name: 'Energy', cues: list('energy, electricity, power grid, grid, oil, natural gas, pipeline, solar, wind farm, wind turbines, nuclear, renewable, renewables, utility, utilities, power plant, fuel, fuels, fuel prices, gasoline, petrol, diesel, gas prices, battery, batteries, hydro, power outage') },
  { name: 'Elections', also: ['Election', 'Voting'], cues: list('election, elections, vote, voters, ballot, ballots, polls, campaign, candidate, candidates, polling, electoral, turnout, riding, constituency, voting') },
  { name: 'Politics', also: ['Government'], cues: list('parliament, legislature, opposition, legislation, cabinet, lawmakers, senate, bill, caucus, premier, prime minister, party leader') },
  { name: 'Diplomacy', also: ['Foreign Affairs', 'Foreign Policy', 'International Relations'], cues: list('diplomat, diplomats, diplomatic, summit, embassy, ambassador, treaty, foreign minister, sanctions, negotiations, talks, envoy, bilateral, delegation, peace talks, peace deal, peace agreement, ceasefire, truce, mediation, mediator, mediators, accord') },
  { name: 'Conflict', also: ['War', 'Military', 'Defence', 'Defense'], cues: list('war, military, troops, soldiers, attack, attacks, missile, missiles, drone, drones, invasion, ceasefire, shelling, weapons, army, airstrikes, front line') },
  { name: 'Crime', also: ['Policing', 'Public Safety'], cues: list('police, arrest, arrested, charged, suspect, suspects, crime, crimes, murder, robbery, investigation, officers, homicide, assault, shooting, stolen') },
  { name: 'Courts', also: ['Justice', 'Law'], cues: list('court, judge, trial, ruling, lawsuit, appeal, verdict, lawyer, lawyers, sentenced, sentence, prosecutors, testimony, supreme court') },
  { name: 'Education', also: ['Schools'], cues: list('school, schools, students, student, teachers, teacher, education, classroom, classrooms, university, universities, tuition, curriculum, pupils, school board') },
  { name: 'Transit', also: ['Public Transit', 'Transportation', 'Transport'], cues: list('transit, bus, buses, train, trains, subway, commuters, ridership, fares, station, stations, light rail, streetcar, commute, rail, railway, railways, passenger, passengers, rolling stock, ferry, ferries, tram, trams') },
  { name: 'Infrastructure', cues: list('infrastructure, bridge, bridges, roads, highway, construction, water mains, repairs, tunnel, overpass, sewer, upgrades') },
  { name: 'Technology', also: ['Tech'], cues: list('technology, tech, software, artificial intelligence, app, apps, digital, online, internet, computer, computers, algorithm, platform, platforms, smartphone, chips') },
  { name: 'Cybersecurity', also: ['Cyber Security'], cues: list('hack, hacked, hackers, cyberattack, cyber attack, ransomware, data breach, breach, cybersecurity, malware, phishing') },
  { name: 'Business', cues: list('company, companies, business, businesses, profit, profits, revenue, shares, investors, earnings, shareholders, quarterly, merger, acquisition') },
  { name: 'Retail', cues: list('retail, retailers, retailer, stores, shoppers, sales, shopping, consumers, store') },
  { name: 'Agriculture', also: ['Farming'], cues: list('farmers, farmer, farm, farms, crops, harvest, agriculture, agricultural, livestock, cattle, grain') },
  { name: 'Fisheries', also: ['Fishing'], cues: list('fishing, fishery, fisheries, fish stocks, catch, fishermen, fishers, quota, quotas, boats, harbour, harbor') },
  { name: 'Immigration', also: ['Migration', 'Refugees'], cues: list('immigration, immigrants, immigrant, refugees, refugee, asylum, migrants, migrant, border, deportation, visa, visas, newcomers') },
  { name: 'Protests', also: ['Protest'], cues: list('protest, protests, protesters, protestors, demonstrators, rally, rallies, march, demonstration, demonstrations, marched') },
  { name: 'Human Rights', also: ['Civil Rights'], cues: list('human rights, rights, discrimination, freedom, civil liberties, equality, rights groups') },
  { name: 'Culture', also: ['Arts', 'Arts and Culture'], cues: list('museum, festival, art, artists, artist, music, musicians, theatre, theater, film, exhibition, culture, cultural, heritage, gallery') },
  { name: 'Sports', also: ['Sport'], cues: list('game, season, team, players, coach, league, championship, tournament, playoffs, match, athletes, scored, stadium') },
  { name: 'Science', also: ['Research'], cues: list('scientists, scientist, research, researchers, study, discovery, laboratory, experiment, findings, journal') },
  { name: 'Space', also: ['Space Exploration'], cues: list('space, rocket, satellite, satellites, orbit, launch, astronaut, astronauts, moon, mars, spacecraft, telescope') },
  { name: 'Budget', also: ['Federal Budget', 'Public Finances', 'Government Spending'], cues: list('budget, deficit, spending, debt, surplus, fiscal, taxpayers, budget cuts, finance minister, billion dollars') },
  { name: 'Taxes', also: ['Tax', 'Taxation'], cues: list('tax, taxes, taxation, tax cut, tax cuts, tax increase, taxpayers, levy, property tax') },
  { name: 'Mining', cues: list('mine, mines, mining, miners, ore, minerals, critical minerals, lithium, copper, gold mine') },
  { name: 'Water', also: ['Drinking Water'], cues: list('water, drinking water, water supply, reservoir, boil water, water treatment, wells, aquifer, irrigation, dam, dams, river basin, groundwater, water rights, watershed, water sharing') },
  { name: 'Ethics', also: ['Corruption', 'Accountability'], cues: list('ethics, conflict of interest, corruption, bribery, misconduct, integrity, watchdog, ethics commissioner, lobbying, audit') },
  { name: 'Manufacturing', also: ['Industry'], cues: list('manufacturing, manufacturer, manufacturers, factory, factories, assembly line, assembly plant, production line, industrial, automaker, automakers, plant workers') },
  { name: 'Consumer Protection', also: ['Consumer Affairs', 'Consumer Rights', 'Consumers'], cues: list('consumer, consumers, consumer protection, overcharged, overcharging, refund, refunds, misleading, product recall, recalls, price gouging, warranty, scam, scams') },
  { name: 'Startups', also: ['Entrepreneurship', 'Small Business', 'Venture Capital'], cues: list('startup, startups, start-up, start-ups, founder, founders, venture capital, funding round, seed round, entrepreneur, entrepreneurs, small business, small businesses, investors') },
  { name: 'Archaeology', also: ['Archeology', 'History', 'Heritage'], cues: list('archaeology, archaeologist, archaeologists, archaeological, archeologist, excavation, excavations, artefacts, artifacts, ancient, prehistoric, radiocarbon, ruins, burial, fossil, fossils') },
  { name: 'Oceans', also: ['Ocean', 'Marine Life', 'Marine Conservation'], cues: list('ocean, oceans, marine, seabed, sea floor, coral, corals, reef, reefs, deep sea, whale, whales, marine life, ocean temperatures, sea ice') },
  { name: 'Religion', also: ['Faith'], cues: list('church, churches, mosque, mosques, synagogue, temple, faith, religious, religion, bishop, priest, pope, clergy, worship, congregation') },
  { name: 'Aviation', also: ['Air Travel', 'Airlines'], cues: list('airline, airlines, airport, airports, flight, flights, aircraft, plane, planes, pilot, pilots, runway, air traffic, passengers') },
  { name: 'Media', also: ['Journalism', 'Press Freedom'], cues: list('journalist, journalists, journalism, newspaper, newspapers, broadcaster, broadcasters, reporters, press freedom, newsroom, editors, media outlet') },
  { name: 'Terrorism', also: ['Extremism'], cues: list('terrorism, terrorist, terrorists, terror attack, extremist, extremists, extremism, bombing, bomber, militant, militants, radicalized, radicalised') },
  { name: 'Drugs', also: ['Opioids', 'Addiction', 'Drug Policy'], cues: list('overdose, overdoses, opioid, opioids, fentanyl, addiction, drug use, cannabis, narcotics, drug trafficking, safe supply, harm reduction') },
  { name: 'Mental Health', cues: list('mental health, depression, anxiety, suicide, psychiatric, psychiatrist, counselling, counseling, therapy, therapist, mental illness') },
  { name: 'Tourism', also: ['Travel'], cues: list('tourism, tourist, tourists, visitors, hotel, hotels, cruise, cruise ship, travellers, travelers, vacation, holidaymakers') },
  { name: 'Banking', also: ['Banks', 'Finance'], cues: list('bank, banks, banking, lender, lenders, loan, loans, credit, deposits, bank accounts, mortgage lenders, financial regulator') },
  { name: 'Trade', also: ['International Trade'], cues: list('trade, exports, imports, tariff, tariffs, trade deal, trade agreement, free trade, trade war, customs duties, exporters') },
  { name: 'Poverty', also: ['Social Services', 'Welfare'], cues: list('poverty, welfare, social assistance, food bank, food banks, low income, low-income, benefits, disability benefits, charity, charities') },
  { name: 'Seniors', also: ['Aging', 'Pensions', 'Retirement'], cues: list('seniors, pension, pensions, retirees, retirement, elderly, long-term care, nursing home, nursing homes, old age') },
  { name: 'Privacy', also: ['Data Protection', 'Surveillance'], cues: list('privacy, personal data, personal information, surveillance, data protection, facial recognition, tracking, privacy commissioner') },
  { name: 'Automotive', also: ['Cars', 'Auto Industry'], cues: list('automaker, automakers, car, cars, vehicle, vehicles, electric vehicles, dealership, dealerships, car sales, drivers') },
  { name: 'Telecommunications', also: ['Telecom'], cues: list('telecom, telecoms, wireless, broadband, internet service, cellphone, cellphones, mobile network, carriers, phone bills, 5g') },
  { name: 'Food', also: ['Food Safety'], cues: list('food safety, food recall, listeria, salmonella, e. coli, restaurant, restaurants, chefs, food inspection, contaminated food') },
];
